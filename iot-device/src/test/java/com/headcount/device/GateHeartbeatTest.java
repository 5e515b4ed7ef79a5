package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateHeartbeatTest {

    private static final OffsetDateTime DOORS_OPEN = OffsetDateTime.of(2026, 11, 26, 8, 30, 0, 0, ZoneOffset.UTC);
    private static final GateTopics TOPICS = new GateTopics("local", "evt-1", "north", "$aws/rules/x");

    @TempDir
    Path folder;

    @Test
    void a_backlog_it_reports_always_names_the_oldest_scan_even_while_the_sender_acknowledges() throws Exception {
        ScanQueue queue = ScanQueue.open(folder, 1_000);
        GateHeartbeat heartbeat = new GateHeartbeat(TOPICS, queue, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new Offline());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        // what the gate's sender does at a door: the next scan comes in, the oldest is acknowledged; the queue holds one
        // or two scans at every moment, and the one a heartbeat reads first is the one being acknowledged
        long first = queue.append(scanAt(0));
        Thread sender = new Thread(() -> {
            try {
                long oldest = first;
                for (int i = 1; !stop.get(); i++) {
                    long next = queue.append(scanAt(i));
                    queue.acknowledge(oldest);
                    oldest = next;
                }
            } catch (Throwable e) {
                senderFailure.set(e);
            }
        });
        sender.start();
        int withBacklog = 0;
        int readings = 0;
        try {
            // bounded in count: enough readings to land between an acknowledgement's two steps many times over
            for (; readings < 20_000 && senderFailure.get() == null; readings++) {
                Map<String, Object> body = JSON.std.mapFrom(heartbeat.body(true));
                int queued = ((Number) body.get("queueLength")).intValue();
                if (queued > 0) {
                    withBacklog++;
                    assertNotNull(body.get("oldestQueuedAt"), "a backlog without its oldest scan's time: " + body);
                }
            }
        } finally {
            stop.set(true);
            sender.join();
            heartbeat.close();
        }
        assertEquals(null, senderFailure.get());
        assertEquals(readings, withBacklog, "every reading saw the queue holding a scan");
    }

    @Test
    void an_empty_queue_says_zero_and_no_oldest() throws Exception {
        GateHeartbeat heartbeat = new GateHeartbeat(TOPICS, ScanQueue.open(folder, 10), Clock.systemUTC(), new Offline());
        Map<String, Object> body = JSON.std.mapFrom(heartbeat.body(true));
        assertEquals(0, ((Number) body.get("queueLength")).intValue());
        assertEquals(null, body.get("oldestQueuedAt"));
        heartbeat.close();
    }

    private static byte[] scanAt(int i) {
        return Scan.now(Clock.fixed(DOORS_OPEN.plusSeconds(i).toInstant(), ZoneOffset.UTC), "evt-1", "north", "P-" + i,
                ScanMethod.QR_SCAN, Direction.ENTRY).toJson();
    }

    private static final class Offline implements GateHeartbeat.Sender {
        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public CompletableFuture<?> publish(byte[] heartbeat) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
