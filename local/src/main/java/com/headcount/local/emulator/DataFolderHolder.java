package com.headcount.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which emulator process holds a data folder, written in it ({@code emulator.pid}): the emulator's pid and start
 * time, and the JVM's that started it. A pid with its start time names one process
 * only, never a later one that reused the pid.
 *
 * <p>An emulator already exits when the JVM that started it dies ({@code exit-with-parent.js}); this covers the
 * moment between the two: a start that finds the folder's last emulator still alive waits for it to go, or ends it,
 * once its JVM is gone. If that JVM is still running, the folder is in use and the start says so.
 */
final class DataFolderHolder {

    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);

    private DataFolderHolder() {
    }

    /** In the folder itself: LevelDB and kinesis-local leave a file they do not know alone. */
    static Path fileFor(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().normalize().resolve("emulator.pid");
    }

    /** Before a start on the folder: leaves no emulator of a dead JVM holding it. */
    static void takeOver(String name, Path dataDirectory) {
        Path file = fileFor(dataDirectory);
        Optional<Holder> holder = read(file);
        if (holder.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> emulator = holder.get().emulator().live();
        if (emulator.isEmpty()) {
            return;
        }
        if (holder.get().jvm().live().isPresent()) {
            throw new IllegalStateException("the data folder " + dataDirectory + " is in use: " + name + " (pid "
                    + emulator.get().pid() + ") holds it for the process " + holder.get().jvm().pid()
                    + "; stop that stack or give this one another data folder");
        }
        // an orphan of a killed stack: it is on its way out (its stdin closed); make sure of it
        ProcessHandle orphan = emulator.get();
        try {
            try {
                orphan.onExit().get(ORPHAN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillThere) {
                orphan.destroyForcibly();
                orphan.onExit().get(ORPHAN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the old " + name + " to exit", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the old " + name + " (pid " + orphan.pid() + ") of a stopped stack "
                    + "still holds " + dataDirectory + " and does not exit", e);
        }
    }

    /** After the start: this emulator, started by this JVM, holds the folder. */
    static void record(Path dataDirectory, Process emulator) {
        var line = Identity.of(emulator.toHandle()).line() + " " + Identity.of(ProcessHandle.current()).line() + "\n";
        Path file = fileFor(dataDirectory);
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, line, StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** After the emulator exited: the folder is free. */
    static void release(Path dataDirectory, Process emulator) {
        Path file = fileFor(dataDirectory);
        Optional<Holder> holder = read(file);
        if (holder.isPresent() && holder.get().emulator().pid() == emulator.pid()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the next start checks the pid and start time anyway
            }
        }
    }

    private static Optional<Holder> read(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
            if (parts.length != 4) {
                return Optional.empty();
            }
            return Optional.of(new Holder(new Identity(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    new Identity(Long.parseLong(parts[2]), Long.parseLong(parts[3]))));
        } catch (IOException | RuntimeException unreadable) {
            // half written when the JVM died: the emulator it named exited with that JVM
            return Optional.empty();
        }
    }

    private record Holder(Identity emulator, Identity jvm) {
    }

    /** A process by pid and start time (milliseconds; -1 where the platform does not tell). */
    private record Identity(long pid, long startMillis) {

        static Identity of(ProcessHandle process) {
            return new Identity(process.pid(), process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
        }

        String line() {
            return pid + " " + startMillis;
        }

        /** The very process, if it still runs; a pid reused by another process does not count. */
        Optional<ProcessHandle> live() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> startMillis != -1
                    && p.info().startInstant().map(Instant::toEpochMilli).orElse(-2L) == startMillis);
        }
    }
}
