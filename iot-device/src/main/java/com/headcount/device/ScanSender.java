package com.headcount.device;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the {@link ScanQueue} to the broker, oldest first, with up to {@link Publisher#inFlightLimit()} scans
 * published and not yet acknowledged.
 *
 * <p>Scans go out in queue order over one connection, so the broker receives them in the order they were made. A scan
 * leaves the disk only once its own PUBACK came, whatever happens to the others in flight; a crash at any moment
 * leaves every unacknowledged scan on disk, in its place. When a publish fails (refused, link dropped, no PUBACK in
 * time) nothing new goes out: the sender waits for the rest in flight to settle, then starts again from the oldest
 * scan still on disk. So a resend is never overtaken by a scan made after it that is sent for the first time; a
 * scan refused while the next ones were accepted does reach the broker after them, which its own timestamp (event
 * time) and scanId make harmless.
 */
final class ScanSender implements AutoCloseable {

    /** The MQTT side, seen from the sender. */
    interface Publisher {
        /** Connected and listening for decisions: publishing now is worth it. */
        boolean ready();

        /** How many scans may wait for their PUBACK at once (the broker's Receive Maximum, or less). */
        int inFlightLimit();

        /** Completes when the broker acknowledged the scan, exceptionally when it refused or the link dropped. */
        CompletableFuture<?> publish(ScanQueue.QueuedScan scan);
    }

    private static final System.Logger LOG = System.getLogger(ScanSender.class.getName());
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final ScanQueue queue;
    private final Publisher publisher;
    private final Duration ackTimeout;
    private final Duration retryDelay;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Thread thread;
    /** By queue sequence: the scans published and not yet settled, with when each was published. */
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    /** The last sequence published since the last (re)start from the oldest; the next goes after it. */
    private long cursor = Long.MIN_VALUE;
    private boolean failed;
    private volatile boolean running = true;

    private record InFlight(CompletableFuture<?> acknowledged, long publishedAtNanos) {
    }

    ScanSender(ScanQueue queue, Publisher publisher, Duration ackTimeout, Duration retryDelay) {
        this.queue = queue;
        this.publisher = publisher;
        this.ackTimeout = ackTimeout;
        this.retryDelay = retryDelay;
        this.thread = Thread.ofPlatform().name("scan-sender").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Something changed (a scan queued, a PUBACK, the link came up): look again now rather than at the next check. */
    void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        try {
            while (running) {
                settle();
                if (failed) {
                    if (inFlight.isEmpty()) {
                        failed = false;
                        cursor = Long.MIN_VALUE;
                        pause(retryDelay);
                    } else {
                        pause(untilNextTimeout());
                    }
                    continue;
                }
                if (!publisher.ready()) {
                    // nothing in flight survives a dropped link (the client fails them); settle() saw to that
                    pause(inFlight.isEmpty() ? IDLE_CHECK : untilNextTimeout());
                    continue;
                }
                boolean sent = fill();
                if (!sent) {
                    pause(inFlight.isEmpty() ? IDLE_CHECK : untilNextTimeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The queue folder became unreadable: stop sending rather than skip scans; the queue keeps them.
            LOG.log(System.Logger.Level.ERROR, "scan sender stopped; scans stay queued on disk", e);
        }
    }

    /** Publishes the next scans in queue order while the window has room; whether any went out. */
    private boolean fill() throws IOException {
        boolean sent = false;
        int limit = Math.max(1, publisher.inFlightLimit());
        while (inFlight.size() < limit) {
            Optional<ScanQueue.QueuedScan> next = queue.after(cursor);
            if (next.isEmpty()) {
                break;
            }
            ScanQueue.QueuedScan scan = next.get();
            cursor = scan.sequence();
            CompletableFuture<?> acknowledged = publisher.publish(scan);
            inFlight.put(scan.sequence(), new InFlight(acknowledged, System.nanoTime()));
            acknowledged.whenComplete((result, error) -> wakeUp());
            sent = true;
        }
        return sent;
    }

    /** Takes in what the broker answered: an acknowledged scan leaves the disk; a failure stops sending. */
    private void settle() throws IOException {
        long now = System.nanoTime();
        var it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, InFlight> entry = it.next();
            CompletableFuture<?> acknowledged = entry.getValue().acknowledged();
            if (!acknowledged.isDone()) {
                if (now - entry.getValue().publishedAtNanos() > ackTimeout.toNanos()) {
                    acknowledged.cancel(false);
                    LOG.log(System.Logger.Level.DEBUG, () -> "scan " + entry.getKey() + " not acknowledged in time");
                    failed = true;
                    it.remove();
                }
                continue;
            }
            it.remove();
            if (acknowledged.isCompletedExceptionally()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "scan " + entry.getKey() + " not acknowledged, will resend");
                failed = true;
            } else {
                queue.acknowledge(entry.getKey());
            }
        }
    }

    private Duration untilNextTimeout() {
        long oldest = inFlight.values().stream().mapToLong(InFlight::publishedAtNanos).min().orElse(System.nanoTime());
        long left = ackTimeout.toNanos() - (System.nanoTime() - oldest);
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), left));
    }

    private void pause(Duration duration) throws InterruptedException {
        if (wakeUps.tryAcquire(Math.max(1, duration.toMillis()), TimeUnit.MILLISECONDS)) {
            wakeUps.drainPermits();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
    }
}
