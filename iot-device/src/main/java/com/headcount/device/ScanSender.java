package com.headcount.device;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drains the {@link ScanQueue} to the broker, oldest first, one scan at a time.
 *
 * <p>Stop-and-wait on purpose: the next scan is published only after the previous one's PUBACK, so the broker sees
 * scans in the order they were made even across disconnects, and a scan leaves the disk only once the broker has
 * it. A resend after a lost PUBACK can deliver a scan twice, never out of order; the scanId makes the twin harmless.
 */
final class ScanSender implements AutoCloseable {

    /** The MQTT side, seen from the sender. */
    interface Publisher {
        /** Connected and listening for decisions: publishing now is worth it. */
        boolean ready();

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
    private volatile boolean running = true;

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

    /** Something changed (a scan queued, the link came up): look again now rather than at the next idle check. */
    void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        try {
            while (running) {
                Optional<ScanQueue.QueuedScan> next = publisher.ready() ? queue.oldest() : Optional.empty();
                if (next.isEmpty()) {
                    pause(IDLE_CHECK);
                } else if (!send(next.get())) {
                    pause(retryDelay);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // The queue folder became unreadable: stop sending rather than skip scans; the queue keeps them.
            LOG.log(System.Logger.Level.ERROR, "scan sender stopped; scans stay queued on disk", e);
        }
    }

    private boolean send(ScanQueue.QueuedScan scan) throws IOException, InterruptedException {
        CompletableFuture<?> acknowledged = publisher.publish(scan);
        try {
            acknowledged.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            acknowledged.cancel(false);
            LOG.log(System.Logger.Level.DEBUG, () -> "scan " + scan.sequence() + " not acknowledged, will resend: " + e);
            return false;
        }
        queue.acknowledge(scan.sequence());
        return true;
    }

    private void pause(Duration duration) throws InterruptedException {
        if (wakeUps.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
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
