package com.headcount.device;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate's durable outbox: scans wait here until the broker has acknowledged them.
 *
 * <p>One file per scan, named by a sequence number that only grows. Chosen over a journal plus an
 * acknowledged-offset file because every state change is then a single atomic file-system operation,
 * so there is no pair of files that a crash could leave disagreeing:
 * <ul>
 *   <li>queued: the scan is written to {@code <seq>.tmp}, fsynced, renamed to {@code <seq>.json}, and the
 *       folder is fsynced; only then does {@link #append} return. A crash before the rename leaves a
 *       {@code .tmp} file the caller was never told was queued; {@link #open} deletes it.</li>
 *   <li>acknowledged: the file is deleted. A crash that undoes the delete only means a resend, which the
 *       scanId makes harmless; that is also why deletes are not fsynced.</li>
 *   <li>compaction is the delete itself: acknowledged scans take no disk space.</li>
 * </ul>
 * Order is the numeric order of the names; after a restart the next number continues after the highest
 * one still on disk, so new scans always sort behind the ones that survived.
 */
public final class ScanQueue {

    private static final Pattern QUEUED = Pattern.compile("(\\d{19})\\.json");
    private static final Pattern UNFINISHED = Pattern.compile("\\d{19}\\.tmp");

    private final Path folder;
    private final int capacity;
    private final long minFreeBytes;
    private final ConcurrentSkipListSet<Long> pending;
    private long nextSequence;

    private ScanQueue(Path folder, int capacity, long minFreeBytes, ConcurrentSkipListSet<Long> pending) {
        this.folder = folder;
        this.capacity = capacity;
        this.minFreeBytes = minFreeBytes;
        this.pending = pending;
        this.nextSequence = pending.isEmpty() ? 1 : pending.last() + 1;
    }

    /**
     * Opens (or creates) the queue in {@code folder}, recovering from a crash in the middle of an append.
     *
     * @param capacity     the most scans kept waiting; beyond it {@link #append} refuses, so a gate offline for
     *                     days cannot fill the disk that the rest of the device needs
     * @param minFreeBytes appends are refused when the disk has less than this left
     */
    public static ScanQueue open(Path folder, int capacity, long minFreeBytes) throws IOException {
        Files.createDirectories(folder);
        ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher queued = QUEUED.matcher(name);
                if (UNFINISHED.matcher(name).matches()) {
                    Files.delete(file);
                } else if (queued.matches()) {
                    if (readable(file)) {
                        pending.add(Long.parseLong(queued.group(1)));
                    } else {
                        // Cannot come from our own appends (they rename only after fsync), so a disk fault: kept aside for a human, not resent.
                        Files.move(file, file.resolveSibling(name + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        syncFolder(folder);
        return new ScanQueue(folder, capacity, minFreeBytes, pending);
    }

    public static ScanQueue open(Path folder, int capacity) throws IOException {
        return open(folder, capacity, 16L * 1024 * 1024);
    }

    /** Stores the scan durably; when this returns, the scan survives a crash or power loss. */
    public synchronized long append(byte[] scanJson) throws IOException {
        if (pending.size() >= capacity) {
            throw new ScanQueueFullException(pending.size() + " scans already wait to be sent (the limit)");
        }
        if (Files.getFileStore(folder).getUsableSpace() < minFreeBytes) {
            throw new ScanQueueFullException("less than " + minFreeBytes + " bytes left on disk");
        }
        long sequence = nextSequence++;
        Path unfinished = folder.resolve(name(sequence, ".tmp"));
        try (FileChannel channel = FileChannel.open(unfinished, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(scanJson);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(unfinished, fileOf(sequence), StandardCopyOption.ATOMIC_MOVE);
        syncFolder(folder);
        pending.add(sequence);
        return sequence;
    }

    /** The scan waiting longest, which must be sent before any other. */
    public Optional<QueuedScan> oldest() throws IOException {
        return after(Long.MIN_VALUE);
    }

    /** The next scan in line after {@code sequence} (the oldest of all for {@link Long#MIN_VALUE}). */
    public Optional<QueuedScan> after(long sequence) throws IOException {
        for (Long next = pending.higher(sequence); next != null; next = pending.higher(next)) {
            try {
                return Optional.of(new QueuedScan(next, Files.readAllBytes(fileOf(next))));
            } catch (NoSuchFileException acknowledgedMeanwhile) {
                // another thread acknowledged it between the look-up and the read: the next one is in line
            }
        }
        return Optional.empty();
    }

    /**
     * How many scans wait and the oldest of them, as one reading: the sender acknowledges scans while the heartbeat
     * reads, and two separate calls could say "one waits" and "none is oldest".
     */
    public Backlog backlog() throws IOException {
        Optional<QueuedScan> oldest = oldest();
        // read after the oldest, so a count of zero only ever comes with no oldest; the oldest counts itself
        return oldest.map(scan -> new Backlog(Math.max(1, pending.size()), oldest)).orElse(Backlog.EMPTY);
    }

    /** The broker has it: forget it (out of line first, so no reader looks for a file already gone). */
    public void acknowledge(long sequence) throws IOException {
        pending.remove(sequence);
        Files.deleteIfExists(fileOf(sequence));
    }

    public int size() {
        return pending.size();
    }

    public Path folder() {
        return folder;
    }

    private Path fileOf(long sequence) {
        return folder.resolve(name(sequence, ".json"));
    }

    private static String name(long sequence, String suffix) {
        return String.format("%019d%s", sequence, suffix);
    }

    private static boolean readable(Path file) {
        try {
            JSON.std.mapFrom(Files.readAllBytes(file));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A rename or create is only durable once the folder entry itself is on disk. */
    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** A scan read back from the queue: its place in line and the exact bytes to publish. */
    public record QueuedScan(long sequence, byte[] scanJson) {
    }

    /** The scans waiting at one moment: their number and the oldest, which is present whenever the number is not 0. */
    public record Backlog(int size, Optional<QueuedScan> oldest) {
        static final Backlog EMPTY = new Backlog(0, Optional.empty());
    }
}
