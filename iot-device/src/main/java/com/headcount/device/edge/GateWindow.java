package com.headcount.device.edge;

import com.headcount.core.allowlist.EdgeRules;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Scan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The five-minute window of this gate's own scans, on disk: the scans it accepted, per participant and direction
 * (the gate is always this one), so a restart mid-event still knows who came in a minute ago.
 *
 * <p>An append-only log, one line per change, each written and forced to disk before the gate answers: {@code A} a scan
 * accepted (participant, direction, scan time, scan id), {@code R} a scan released because the cloud did not accept it
 * after all. Replayed in order on open. A torn last line (a crash mid-write) is skipped: that scan was never answered.
 * The log is per event and holds one line per accepted scan (about 60 bytes; 6 MB for 100 000 people in and out),
 * small enough never to need compaction within an event.
 *
 * <p>The collision test is the cloud's own ({@link WindowRule#collide}: ±300 000 ms, both bounds included).
 */
public final class GateWindow implements EdgeRules.AcceptedHere, AutoCloseable {

    private final FileChannel log;
    private final Map<String, TreeMap<Long, String>> lanes = new HashMap<>();
    private final Map<String, String> laneOfScan = new HashMap<>();

    private GateWindow(FileChannel log) {
        this.log = log;
    }

    public static GateWindow open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        GateWindow window = new GateWindow(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') end--;
        if (end < bytes.length) {
            // a torn write (a crash mid-append): never answered, so dropped, and cut off so the next line starts clean
            window.log.truncate(end);
            window.log.force(true);
        }
        if (end > 0) {
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) window.replay(line);
        }
        return window;
    }

    private void replay(String line) {
        String[] f = line.split("\t", -1);
        if (f.length == 5 && f[0].equals("A")) {
            remember(f[1], f[2], Long.parseLong(f[3]), f[4]);
        } else if (f.length == 2 && f[0].equals("R")) {
            forget(f[1]);
        }
    }

    @Override
    public synchronized Optional<EdgeRules.FirstScan> collidingWith(Scan scan) {
        TreeMap<Long, String> lane = lanes.get(lane(scan.participantId(), scan.direction().wireName()));
        if (lane == null) return Optional.empty();
        Instant at = scan.scannedAt();
        var candidate = lane.ceilingEntry(at.toEpochMilli() - WindowRule.WINDOW_MILLIS);
        if (candidate == null || candidate.getValue().equals(scan.scanId())) {
            candidate = candidate == null ? null : lane.higherEntry(candidate.getKey());
        }
        if (candidate != null && WindowRule.collide(at, Instant.ofEpochMilli(candidate.getKey()))) {
            return Optional.of(new EdgeRules.FirstScan(candidate.getValue(), Instant.ofEpochMilli(candidate.getKey())));
        }
        return Optional.empty();
    }

    /** The gate accepted it: on disk before this returns, so the answer outlives a crash. */
    public synchronized void accept(Scan scan) throws IOException {
        if (laneOfScan.containsKey(scan.scanId())) return;
        append("A\t" + scan.participantId() + "\t" + scan.direction().wireName() + "\t" + scan.scannedAt().toEpochMilli()
                + "\t" + scan.scanId() + "\n");
        remember(scan.participantId(), scan.direction().wireName(), scan.scannedAt().toEpochMilli(), scan.scanId());
    }

    /** The cloud did not accept a scan the gate did: it no longer holds the window. */
    public synchronized void release(String scanId) throws IOException {
        if (!laneOfScan.containsKey(scanId)) return;
        append("R\t" + scanId + "\n");
        forget(scanId);
    }

    public synchronized boolean holds(String scanId) {
        return laneOfScan.containsKey(scanId);
    }

    private void append(String line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) log.write(buffer);
        log.force(false);
    }

    private void remember(String participant, String direction, long at, String scanId) {
        String key = lane(participant, direction);
        lanes.computeIfAbsent(key, k -> new TreeMap<>()).put(at, scanId);
        laneOfScan.put(scanId, key + "\t" + at);
    }

    private void forget(String scanId) {
        String where = laneOfScan.remove(scanId);
        if (where == null) return;
        int tab = where.lastIndexOf('\t');
        TreeMap<Long, String> lane = lanes.get(where.substring(0, tab));
        if (lane != null) lane.remove(Long.parseLong(where.substring(tab + 1)), scanId);
    }

    private static String lane(String participant, String direction) {
        return participant + "\t" + direction;
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
