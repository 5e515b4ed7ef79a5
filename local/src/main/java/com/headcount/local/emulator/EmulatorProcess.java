package com.headcount.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Node emulator run as a child process on a loopback port, for as long as this object is open, and never longer
 * than this JVM: it exits when its stdin (a pipe from this JVM, never written) closes, which the kernel does however
 * the JVM ends, SIGKILL included ({@code local/emulators/exit-with-parent.js}). With a data folder, which process holds
 * it is written in it ({@link DataFolderHolder}), so a start right after a kill never races the old emulator.
 * Its output goes to a log file: the tail of it is what explains a failed start.
 */
public abstract class EmulatorProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final int port;
    private final Path logFile;
    private final Process process;
    private final Path dataDirectory;

    protected EmulatorProcess(String name, Launch launch) {
        this.name = name;
        this.dataDirectory = launch.dataDirectory();
        if (dataDirectory != null) {
            DataFolderHolder.takeOver(name, dataDirectory);
        }
        this.port = launch.port() == 0 ? freePort() : requireFree(name, launch.port());
        this.logFile = launch.logDirectory().resolve(name + "-" + port + ".log");
        this.process = spawn(launch.command(port), launch.workingDirectory(), launch.environment(port));
        try {
            if (dataDirectory != null) {
                DataFolderHolder.record(dataDirectory, process);
            }
            awaitAnswering(launch.healthPath(), launch.startTimeout());
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    /** The options every emulator takes; each emulator's builder adds only how it is launched. */
    public abstract static class Builder<B extends Builder<B>> {
        private int port;
        private Path dataDirectory;
        private Path emulatorsDirectory;
        private Path logDirectory = Path.of("target", "emulators");
        private Duration startTimeout;

        protected Builder(Duration startTimeout) {
            this.startTimeout = startTimeout;
        }

        /** 0 (the default) for any free port; a taken port fails the start with a message naming it. */
        public B port(int port) {
            this.port = port;
            return self();
        }

        /** Where the emulator keeps its data across restarts; in memory when not set. */
        public B dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return self();
        }

        public B emulatorsDirectory(Path emulatorsDirectory) {
            this.emulatorsDirectory = emulatorsDirectory;
            return self();
        }

        public B logDirectory(Path logDirectory) {
            this.logDirectory = logDirectory;
            return self();
        }

        public B startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return self();
        }

        public abstract EmulatorProcess start();

        protected int port() {
            return port;
        }

        protected Path dataDirectory() {
            return dataDirectory;
        }

        protected Path logDirectory() {
            return logDirectory.toAbsolutePath();
        }

        protected Duration startTimeout() {
            return startTimeout;
        }

        protected Path installedEmulators() {
            return emulatorsDirectory == null
                    ? EmulatorsDirectory.locate()
                    : EmulatorsDirectory.requireInstalled(emulatorsDirectory);
        }

        /**
         * How to run node: with {@code exit-with-parent.js} preloaded, so the emulator ends with this JVM however
         * it ends, and {@code loopback-guard.js}, so it listens on the loopback only and refuses any request from a
         * browser page of another origin.
         */
        protected static List<String> node(Path emulators) {
            var watch = EmulatorsDirectory.requireFile(emulators, "exit-with-parent.js");
            var guard = EmulatorsDirectory.requireFile(emulators, "loopback-guard.js");
            return List.of("node", "--require", watch.toAbsolutePath().toString(),
                    "--require", guard.toAbsolutePath().toString());
        }

        protected java.util.Optional<String> absoluteDataDirectory() {
            return java.util.Optional.ofNullable(dataDirectory).map(d -> d.toAbsolutePath().toString());
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }

    /** What a subclass tells the base to run. A port of 0 means any free one; no data directory: in memory. */
    protected record Launch(
            int port,
            Path dataDirectory,
            Path workingDirectory,
            Path logDirectory,
            Duration startTimeout,
            String healthPath,
            java.util.function.IntFunction<List<String>> commandForPort,
            java.util.function.IntFunction<Map<String, String>> environmentForPort) {

        List<String> command(int p) {
            return commandForPort.apply(p);
        }

        Map<String, String> environment(int p) {
            return environmentForPort.apply(p);
        }
    }

    /** The emulator's HTTP endpoint, for an AWS SDK client's endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The emulator's process id (for measuring its CPU). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the emulator and whatever it started, and waits until they are gone (and the port is free). */
    @Override
    public void close() {
        if (process.isAlive()) {
            beforeStop();
        }
        var descendants = process.descendants().toList();
        // SIGTERM saves nothing in either emulator, and kinesis-local would wait seconds for idle keep-alive
        // connections to close: a kill is as good and faster
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        name + " (pid " + process.pid() + ") did not die within " + STOP_GRACE);
            }
            for (var child : descendants) {
                child.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (dataDirectory != null) {
                DataFolderHolder.release(dataDirectory, process);
            }
            afterStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a child process of " + name + " did not die within " + STOP_GRACE, e);
        }
    }

    /** Last chance to let the emulator save its state: none of them saves on SIGTERM. */
    protected void afterStop() {
    }

    protected void beforeStop() {
    }

    @Override
    public String toString() {
        return name + " at " + endpoint() + " (log " + logFile + ")";
    }

    private Process spawn(List<String> command, Path workingDirectory, Map<String, String> environment) {
        try {
            Files.createDirectories(logFile.getParent());
            var builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + " (" + String.join(" ", command)
                    + "): " + e.getMessage() + "; is Node.js 20+ on the PATH?", e);
        }
    }

    private void awaitAnswering(String healthPath, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        var url = endpoint().resolve(healthPath);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " while starting on port " + port + "; its output ends with:\n" + logTail());
            }
            if (answers(url)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not answer on " + url + " within " + timeout
                        + "; its output ends with:\n" + logTail());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    private static boolean answers(URI url) {
        try {
            var connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(200);
            connection.setReadTimeout(1000);
            try {
                // any status will do: an HTTP answer means the server is listening
                return connection.getResponseCode() > 0;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    String logTail() {
        try {
            var lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static int requireFree(String name, int port) {
        // binds the wildcard address so that a listener on any interface counts as taken
        try (var socket = new ServerSocket(port)) {
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + name + " is already in use: "
                    + "stop what listens there or configure another port", e);
        }
    }
}
