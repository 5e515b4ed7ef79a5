package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanQueueTest {

    @TempDir
    Path folder;

    @Test
    void hands_out_scans_oldest_first_and_forgets_acknowledged_ones() throws IOException {
        ScanQueue queue = ScanQueue.open(folder, 100);
        long first = queue.append(json("a"));
        long second = queue.append(json("b"));

        assertTrue(second > first);
        assertEquals(2, queue.size());
        assertArrayEquals(json("a"), queue.oldest().orElseThrow().scanJson());
        queue.acknowledge(first);
        assertArrayEquals(json("b"), queue.oldest().orElseThrow().scanJson());
        queue.acknowledge(second);
        assertTrue(queue.oldest().isEmpty());
        assertEquals(List.of(), filesIn(folder), "acknowledged scans take no disk space");
    }

    @Test
    void a_reopened_queue_resends_exactly_what_was_not_acknowledged() throws IOException {
        ScanQueue before = ScanQueue.open(folder, 100);
        long a = before.append(json("a"));
        before.append(json("b"));
        before.append(json("c"));
        before.acknowledge(a);

        ScanQueue after = ScanQueue.open(folder, 100);
        assertEquals(List.of("b", "c"), drain(after));
    }

    @Test
    void new_scans_after_a_restart_queue_behind_the_survivors() throws IOException {
        ScanQueue before = ScanQueue.open(folder, 100);
        before.append(json("a"));
        before.append(json("b"));

        ScanQueue after = ScanQueue.open(folder, 100);
        after.append(json("c"));
        assertEquals(List.of("a", "b", "c"), drain(after));
    }

    @Test
    void a_crash_in_the_middle_of_an_append_loses_nothing_that_was_queued() throws IOException {
        ScanQueue before = ScanQueue.open(folder, 100);
        long a = before.append(json("a"));
        before.append(json("b"));
        before.acknowledge(a);
        // The process died while writing the next scan: its temporary file is half written, never renamed.
        Path halfWritten = folder.resolve(String.format("%019d.tmp", 3));
        Files.writeString(halfWritten, "{\"scanId\":\"c\",\"even");
        // And a disk fault truncated a queued file (our appends cannot do this: they rename only after fsync).
        Path truncated = folder.resolve(String.format("%019d.json", 4));
        Files.writeString(truncated, "{\"scanId\":\"d\",");

        ScanQueue after = ScanQueue.open(folder, 100);

        assertFalse(Files.exists(halfWritten), "the unfinished append is removed");
        assertFalse(Files.exists(truncated));
        assertTrue(Files.exists(folder.resolve(truncated.getFileName() + ".corrupt")), "the damaged scan is kept aside");
        assertEquals(1, after.size());
        after.append(json("e"));
        assertEquals(List.of("b", "e"), drain(after), "acknowledged a stays gone, b is still owed, e queues behind it");
    }

    @Test
    void refuses_new_scans_beyond_its_bound_instead_of_filling_the_disk() throws IOException {
        ScanQueue queue = ScanQueue.open(folder, 2);
        queue.append(json("a"));
        queue.append(json("b"));

        assertThrows(ScanQueueFullException.class, () -> queue.append(json("c")));
        queue.acknowledge(queue.oldest().orElseThrow().sequence());
        queue.append(json("c"));
        assertEquals(List.of("b", "c"), drain(queue));
    }

    @Test
    void refuses_new_scans_when_the_disk_is_nearly_full() throws IOException {
        ScanQueue queue = ScanQueue.open(folder, 100, Long.MAX_VALUE);
        assertThrows(ScanQueueFullException.class, () -> queue.append(json("a")));
        assertEquals(0, queue.size());
    }

    private static byte[] json(String scanId) {
        return ("{\"scanId\":\"" + scanId + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(ScanQueue queue) throws IOException {
        List<String> ids = new ArrayList<>();
        for (var next = queue.oldest(); next.isPresent(); next = queue.oldest()) {
            ids.add(Scan.scanIdOf(next.get().scanJson()));
            queue.acknowledge(next.get().sequence());
        }
        return ids;
    }

    private static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
