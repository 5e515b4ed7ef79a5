package com.headcount.core.dashboard;

import com.headcount.core.messages.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends what comes on {@code statistics-updates} to every dashboard connected to its event.
 *
 * <p>Per event of a batch: every {@code alert.raised}, in order, then only the newest {@code stats.updated} (a
 * snapshot is the whole state: an older one in the same batch is superseded, so a broadcaster that fell behind
 * catches up with one message). Newest is the highest {@code statistics.version}, then the later in the stream: two
 * statistics batches of one event can put their snapshots in the other order than they read them. The producers
 * publish once per statistics batch and once a minute per running event, and the mapping's batching window gathers
 * them, so a dashboard gets about one message per event per window.
 *
 * <p>Connections are served side by side, at most {@code inFlight} at a time per event; each one gets its messages in
 * order. A connection that is gone (410) is removed, that one only; one that is slow or fails costs only its own posts,
 * whose time the poster bounds. A connection whose authorisation has ended ({@link DashboardConnection#expiresAt}) gets
 * nothing more: it is closed and removed.
 *
 * <p>Events are served side by side too, each within {@code eventBudget}: one event with thousands of idle
 * connections cannot hold up another event's feed, and what it has not posted when its budget is spent is dropped
 * (counted {@code late}); its dashboards catch up with the next snapshot.
 */
public final class Broadcast {

    private final Connections connections;
    private final ConnectionPoster poster;
    private final ExecutorService executor;
    private final int inFlight;
    private final Quotas quotas;
    private final Clock clock;
    private final Duration eventBudget;

    public Broadcast(Connections connections, ConnectionPoster poster, ExecutorService executor, int inFlight) {
        this(connections, poster, executor, inFlight, Quotas.UNLIMITED, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    /** @param executor runs events and posts: unbounded (virtual threads), since events wait on their own posts */
    public Broadcast(Connections connections, ConnectionPoster poster, ExecutorService executor, int inFlight,
                     Quotas quotas, Clock clock, Duration eventBudget) {
        this.connections = connections;
        this.poster = poster;
        this.executor = executor;
        this.inFlight = inFlight;
        this.quotas = quotas;
        this.clock = clock;
        this.eventBudget = eventBudget;
    }

    /** What a batch did, for the handler's log line. */
    public record Result(int events, int messages, int superseded, int connections, int delivered, int gone, int failed,
                         int expired, int late) {
        public Result(int events, int messages, int superseded, int connections, int delivered, int gone, int failed) {
            this(events, messages, superseded, connections, delivered, gone, failed, 0, 0);
        }
    }

    /** @param messages the stream's records in order, as JSON objects ({@code type}, {@code eventId}, ...) */
    public Result send(List<Map<String, Object>> messages) {
        Map<String, List<Map<String, Object>>> alerts = new LinkedHashMap<>();
        Map<String, Map<String, Object>> latest = new LinkedHashMap<>();
        int superseded = 0;
        for (Map<String, Object> m : messages) {
            String eventId = m.get("eventId") instanceof String s ? s : null;
            if (eventId == null) continue;
            if (MessageTypes.ALERT_RAISED.equals(m.get("type"))) {
                alerts.computeIfAbsent(eventId, e -> new ArrayList<>()).add(m);
            } else if (MessageTypes.STATS_UPDATED.equals(m.get("type")) && m.get("statistics") instanceof Map<?, ?>) {
                Map<String, Object> before = latest.get(eventId);
                if (before != null) superseded++;
                if (before == null || version(m) >= version(before)) latest.put(eventId, m);
            }
        }
        Set<String> events = new java.util.LinkedHashSet<>(alerts.keySet());
        events.addAll(latest.keySet());
        Tally tally = new Tally();
        List<Future<Integer>> running = new ArrayList<>(events.size());
        for (String eventId : events) {
            List<Map<String, Object>> eventAlerts = alerts.getOrDefault(eventId, List.of());
            Map<String, Object> stats = latest.get(eventId);
            running.add(executor.submit(() -> sendToEvent(eventId, eventAlerts, stats, tally)));
        }
        int reached = 0;
        for (Future<Integer> f : running) reached += await(f, "broadcast");
        return new Result(events.size(), messages.size(), superseded, reached, tally.delivered.get(), tally.gone.get(),
                tally.failed.get(), tally.expired.get(), tally.late.get());
    }

    private static <T> T await(Future<T> f, String what) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }

    private static long version(Map<String, Object> statsUpdated) {
        return ((Map<?, ?>) statsUpdated.get("statistics")).get("version") instanceof Number n ? n.longValue() : 0;
    }

    private static final class Tally {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger gone = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger expired = new AtomicInteger();
        final AtomicInteger late = new AtomicInteger();
    }

    private int sendToEvent(String eventId, List<Map<String, Object>> alerts, Map<String, Object> stats, Tally tally) {
        Instant now = clock.instant();
        long deadline = System.nanoTime() + eventBudget.toNanos();
        List<DashboardConnection> watching = new ArrayList<>();
        for (DashboardConnection c : connections.of(eventId)) {
            if (c.expiresAt() != null && !now.isBefore(c.expiresAt())) {
                // its token (or API Gateway's two hours) ran out: no more figures for it
                tally.expired.incrementAndGet();
                poster.close(c.connectionId());
                connections.remove(c.connectionId()).ifPresent(gone -> Dashboards.release(quotas, gone));
            } else {
                watching.add(c);
            }
        }
        if (watching.isEmpty()) return 0;
        List<byte[]> alertBytes = alerts.stream().map(Broadcast::bytes).toList();
        // one message per set of sections, not per connection: most dashboards subscribe alike
        Map<Set<String>, byte[]> statsBytes = new LinkedHashMap<>();
        Semaphore slots = new Semaphore(inFlight);
        List<Future<?>> running = new ArrayList<>(watching.size());
        int submitted = 0;
        for (DashboardConnection c : watching) {
            List<byte[]> out = new ArrayList<>(alertBytes);
            if (stats != null) out.add(statsBytes.computeIfAbsent(c.sections(), s -> bytes(forSections(stats, s))));
            if (!acquire(slots, deadline)) break;
            try {
                running.add(executor.submit(() -> {
                    try {
                        deliver(c, out, tally);
                    } finally {
                        slots.release();
                    }
                }));
                submitted++;
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
        }
        tally.late.addAndGet(watching.size() - submitted);
        for (Future<?> f : running) {
            long left = deadline - System.nanoTime();
            try {
                f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // the budget is spent: this event's remaining posts give way to the next batch
                f.cancel(true);
                tally.late.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("broadcast interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("broadcast to " + eventId + " failed", e.getCause());
            }
        }
        return watching.size();
    }

    private static boolean acquire(Semaphore slots, long deadline) {
        try {
            return slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void deliver(DashboardConnection c, List<byte[]> out, Tally tally) {
        for (byte[] message : out) {
            switch (poster.post(c.connectionId(), message)) {
                case DELIVERED -> tally.delivered.incrementAndGet();
                case FAILED -> tally.failed.incrementAndGet();
                case GONE -> {
                    tally.gone.incrementAndGet();
                    connections.remove(c.connectionId()).ifPresent(gone -> Dashboards.release(quotas, gone));
                    return;
                }
            }
        }
    }

    static Map<String, Object> forSections(Map<String, Object> statsUpdated, Set<String> sections) {
        Map<String, Object> m = new LinkedHashMap<>(statsUpdated);
        @SuppressWarnings("unchecked")
        Map<String, Object> statistics = (Map<String, Object>) statsUpdated.get("statistics");
        m.put("statistics", Sections.only(statistics, sections));
        return m;
    }

    private static byte[] bytes(Map<String, Object> message) {
        return Dashboards.json(message).getBytes(StandardCharsets.UTF_8);
    }
}
