package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path folder;

    @Test
    void a_scan_not_acknowledged_is_sent_again_after_what_was_in_flight_settled_and_in_queue_order() throws Exception {
        ScanQueue queue = queueOf("a", "b", "c");
        Broker broker = new Broker(8, (id, n) -> switch (id + n) {
            case "b1" -> CompletableFuture.failedFuture(new IllegalStateException("link dropped before PUBACK"));
            case "c1" -> new CompletableFuture<>(); // PUBACK never comes
            default -> CompletableFuture.completedFuture(null);
        });

        try (ScanSender sender = new ScanSender(queue, broker, Duration.ofMillis(200), Duration.ofMillis(10))) {
            sender.start();
            Await.until(WAIT, () -> queue.size() == 0, () -> "queue drained, published " + broker.published);
        }
        assertEquals(List.of("a", "b", "c", "b", "c"), broker.published,
                "pipelined, then from the oldest unacknowledged once the window settled");
    }

    @Test
    void a_refused_scan_is_resent_alone_when_the_scans_after_it_were_acknowledged() throws Exception {
        ScanQueue queue = queueOf("a", "b", "c", "d");
        Broker broker = new Broker(8, (id, n) -> id.equals("b") && n == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("PUBACK: unspecified error"))
                : CompletableFuture.completedFuture(null));

        try (ScanSender sender = new ScanSender(queue, broker, Duration.ofSeconds(5), Duration.ofMillis(10))) {
            sender.start();
            Await.until(WAIT, () -> queue.size() == 0, () -> "queue drained, published " + broker.published);
        }
        assertEquals(List.of("a", "b", "c", "d", "b"), broker.published, "c and d left the disk on their own PUBACKs");
    }

    @Test
    void at_most_the_window_waits_for_acknowledgement_and_a_scan_leaves_the_disk_only_on_its_own_puback() throws Exception {
        List<String> ids = IntStream.range(0, 10).mapToObj(i -> "s" + i).toList();
        ScanQueue queue = queueOf(ids.toArray(String[]::new));
        Map<String, CompletableFuture<Object>> acks = new ConcurrentHashMap<>();
        Broker holding = new Broker(4, (id, n) -> acks.computeIfAbsent(id, k -> new CompletableFuture<>()));

        try (ScanSender sender = new ScanSender(queue, holding, Duration.ofSeconds(30), Duration.ofMillis(10))) {
            sender.start();
            Await.until(WAIT, () -> holding.published.size() == 4, () -> "the window filled: " + holding.published);
            Thread.sleep(100);
            assertEquals(List.of("s0", "s1", "s2", "s3"), holding.published, "no more than the window, in order");
            assertEquals(10, queue.size(), "nothing acknowledged, nothing removed");

            acks.get("s2").complete(null);
            Await.until(WAIT, () -> queue.size() == 9, () -> "s2 acknowledged");
            Await.until(WAIT, () -> holding.published.size() == 5, () -> "one more went out: " + holding.published);
            assertEquals("s4", holding.published.get(4));
        }
        // the gate dies here with s0, s1, s3, s4 in flight: all of them, and everything after, are still on disk in order
        ScanQueue reopened = ScanQueue.open(folder, 100);
        Broker acking = new Broker(4, (id, n) -> CompletableFuture.completedFuture(null));
        try (ScanSender sender = new ScanSender(reopened, acking, Duration.ofSeconds(5), Duration.ofMillis(10))) {
            sender.start();
            Await.until(WAIT, () -> reopened.size() == 0, () -> "drained after the restart: " + acking.published);
        }
        List<String> expected = new ArrayList<>(ids);
        expected.remove("s2");
        assertEquals(expected, acking.published, "nothing lost, nothing reordered, s2 not sent again");
    }

    @Test
    void the_window_respects_a_smaller_receive_maximum() throws Exception {
        ScanQueue queue = queueOf("a", "b", "c");
        Map<String, CompletableFuture<Object>> acks = new ConcurrentHashMap<>();
        Broker stopAndWait = new Broker(1, (id, n) -> acks.computeIfAbsent(id, k -> new CompletableFuture<>()));

        try (ScanSender sender = new ScanSender(queue, stopAndWait, Duration.ofSeconds(30), Duration.ofMillis(10))) {
            sender.start();
            Await.until(WAIT, () -> stopAndWait.published.size() == 1, () -> "a went out");
            Thread.sleep(100);
            assertEquals(List.of("a"), stopAndWait.published);
            acks.get("a").complete(null);
            Await.until(WAIT, () -> stopAndWait.published.size() == 2, () -> "b after a's PUBACK");
            assertTrue(queue.size() == 2);
        }
    }

    private ScanQueue queueOf(String... ids) throws IOException {
        ScanQueue queue = ScanQueue.open(folder, 100);
        for (String id : ids) {
            queue.append(("{\"scanId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return queue;
    }

    /** Answers each publish as told: by scan id and how often that id was published (1 for the first time). */
    private static final class Broker implements ScanSender.Publisher {
        interface Answer {
            CompletableFuture<?> of(String scanId, int nth);
        }

        final List<String> published = new CopyOnWriteArrayList<>();
        private final int window;
        private final Answer answer;

        Broker(int window, Answer answer) {
            this.window = window;
            this.answer = answer;
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public int inFlightLimit() {
            return window;
        }

        @Override
        public CompletableFuture<?> publish(ScanQueue.QueuedScan scan) {
            String id = Scan.scanIdOf(scan.scanJson());
            published.add(id);
            int nth = (int) published.stream().filter(id::equals).count();
            return answer.of(id, nth);
        }
    }
}
