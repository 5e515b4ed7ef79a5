package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanSenderTest {

    @TempDir
    Path folder;

    @Test
    void a_scan_the_broker_did_not_acknowledge_is_sent_again_before_any_later_scan() throws Exception {
        ScanQueue queue = ScanQueue.open(folder, 100);
        for (String id : List.of("a", "b", "c")) {
            queue.append(("{\"scanId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<String> published = new CopyOnWriteArrayList<>();
        ScanSender.Publisher brokerThatRefusesBOnce = new ScanSender.Publisher() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public CompletableFuture<?> publish(ScanQueue.QueuedScan scan) {
                String id = Scan.scanIdOf(scan.scanJson());
                published.add(id);
                if (id.equals("b") && published.stream().filter("b"::equals).count() == 1) {
                    return CompletableFuture.failedFuture(new IllegalStateException("link dropped before PUBACK"));
                }
                if (id.equals("c") && published.stream().filter("c"::equals).count() == 1) {
                    return new CompletableFuture<>(); // PUBACK never comes
                }
                return CompletableFuture.completedFuture(null);
            }
        };

        try (ScanSender sender = new ScanSender(queue, brokerThatRefusesBOnce, Duration.ofMillis(200), Duration.ofMillis(10))) {
            sender.start();
            Await.until(Duration.ofSeconds(5), () -> queue.size() == 0, () -> "queue drained, published " + published);
        }
        assertEquals(List.of("a", "b", "b", "c", "c"), published);
    }
}
