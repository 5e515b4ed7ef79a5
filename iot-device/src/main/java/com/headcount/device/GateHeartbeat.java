package com.headcount.device;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gate's heartbeat on {@code headcount/{stage}/{eventId}/gates/{gateId}/status}: every {@link #EVERY}, as soon as the gate
 * is connected, and when its queue starts or stops holding scans. It says when it was sent (the backend reads the
 * gate's clock offset from that), whether the gate is connected, its backlog (queued scans, the oldest one's scan
 * time) and its version. Sent at QoS 0 and only while connected: a heartbeat queued offline would say nothing true by
 * the time it arrives. The broker publishes {@link #lastWill} when it loses the gate without a goodbye.
 */
final class GateHeartbeat implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(30);
    /** How often the queue is looked at for a change between empty and not (an in-memory count). */
    static final Duration QUEUE_LOOK = Duration.ofSeconds(1);
    static final String VERSION = "headcount-gate/" + Optional.ofNullable(GateHeartbeat.class.getPackage()
            .getImplementationVersion()).orElse("dev");

    /** Where heartbeats go: the gate's MQTT client. */
    interface Sender {
        boolean connected();

        CompletableFuture<?> publish(byte[] heartbeat);
    }

    private static final System.Logger LOG = System.getLogger(GateHeartbeat.class.getName());

    private final GateTopics topics;
    private final ScanQueue queue;
    private final Clock clock;
    private final Sender sender;
    private final ScheduledExecutorService timer;
    private final java.util.function.Supplier<Map<String, Object>> allowList;
    private volatile boolean wasEmpty = true;
    private volatile long lastSentNanos = Long.MIN_VALUE;

    GateHeartbeat(GateTopics topics, ScanQueue queue, Clock clock, Sender sender) {
        this(topics, queue, clock, sender, java.util.Map::of);
    }

    /** @param allowList the allow-list's version and age ({@code allowListVersion}, {@code allowListAgeSeconds}), if any */
    GateHeartbeat(GateTopics topics, ScanQueue queue, Clock clock, Sender sender,
                  java.util.function.Supplier<Map<String, Object>> allowList) {
        this.allowList = allowList;
        this.topics = topics;
        this.queue = queue;
        this.clock = clock;
        this.sender = sender;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gate-heartbeat-" + topics.gateId());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        wasEmpty = queue.size() == 0;
        timer.scheduleWithFixedDelay(this::look, QUEUE_LOOK.toMillis(), QUEUE_LOOK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Something worth telling happened (the gate connected): a heartbeat goes now rather than at the next beat. */
    void now() {
        timer.execute(this::send);
    }

    private void look() {
        boolean empty = queue.size() == 0;
        boolean due = System.nanoTime() - lastSentNanos >= EVERY.toNanos();
        if (empty != wasEmpty || due) {
            wasEmpty = empty;
            send();
        }
    }

    private void send() {
        if (!sender.connected()) return;
        lastSentNanos = System.nanoTime();
        try {
            sender.publish(body(true)).exceptionally(failure -> {
                LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat not sent: " + failure);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat not sent: " + e);
        }
    }

    /** A last heartbeat saying the gate is going away (on a clean stop, when no will is published). */
    CompletableFuture<?> goodbye() {
        return sender.connected() ? sender.publish(body(false)) : CompletableFuture.completedFuture(null);
    }

    byte[] body(boolean connected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", topics.eventId());
        m.put("gateId", topics.gateId());
        m.put("sentAt", clock.instant().toString());
        m.put("connected", connected);
        ScanQueue.Backlog backlog = backlog();
        m.put("queueLength", backlog.size());
        m.put("oldestQueuedAt", backlog.oldest().map(GateHeartbeat::scanTimeOf).orElse(null));
        m.put("version", VERSION);
        m.putAll(allowList.get());
        return json(m);
    }

    /** What the broker says for the gate when it loses it: the topic's ids and that it is gone. */
    static byte[] lastWill(GateTopics topics) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", topics.eventId());
        m.put("gateId", topics.gateId());
        m.put("connected", false);
        m.put("version", VERSION);
        return json(m);
    }

    private ScanQueue.Backlog backlog() {
        try {
            return queue.backlog();
        } catch (IOException e) {
            // the disk would not read: say how many wait, not when the oldest was made
            return new ScanQueue.Backlog(queue.size(), Optional.empty());
        }
    }

    private static String scanTimeOf(ScanQueue.QueuedScan scan) {
        try {
            Object at = JSON.std.mapFrom(scan.scanJson()).get("timestamp");
            return at == null ? null : OffsetDateTime.parse(at.toString()).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] json(Map<String, Object> m) {
        try {
            return JSON.std.asBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
