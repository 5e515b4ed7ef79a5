package com.headcount.core.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.messages.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BroadcastTest {

    final InMemoryDashboards stores = new InMemoryDashboards();
    final Map<String, List<Map<String, Object>>> received = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void goneConnectionsAreRemovedAndOnlyThoseAndTheNewestSnapshotGoesOut() throws Exception {
        for (String id : List.of("a", "b", "gone1", "c", "gone2")) connect(id, "gala", Sections.DEFAULT);
        connect("x", "fair", Sections.DEFAULT);
        ConnectionPoster poster = (id, message) -> {
            if (id.startsWith("gone")) return ConnectionPoster.Delivery.GONE;
            record(id, message);
            return ConnectionPoster.Delivery.DELIVERED;
        };
        var result = new Broadcast(stores, poster, Executors.newVirtualThreadPerTaskExecutor(), 2).send(List.of(
                stats("gala", 1), alert("gala", "a1"), stats("gala", 2), alert("gala", "a2"), stats("gala", 3)));
        assertEquals(List.of("gone1", "gone2"), stores.removed.stream().sorted().toList());
        assertEquals(Set.of("a", "b", "c", "x"), stores.connections.keySet());
        for (String id : List.of("a", "b", "c")) {
            List<Map<String, Object>> got = received.get(id);
            assertEquals(List.of(MessageTypes.ALERT_RAISED, MessageTypes.ALERT_RAISED, MessageTypes.STATS_UPDATED),
                    got.stream().map(m -> m.get("type")).toList());
            assertEquals("a2", ((Map<?, ?>) got.get(1).get("alert")).get("id"));
            assertEquals(3, ((Map<?, ?>) ((Map<?, ?>) got.get(2).get("statistics")).get("overall")).get("attended"));
        }
        assertTrue(!received.containsKey("x"));
        assertEquals(new Broadcast.Result(1, 5, 2, 5, 9, 2, 0), result);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSnapshotReadEarlierButPutLaterDoesNotReplaceTheNewerOne() throws Exception {
        connect("a", "gala", Set.of("overall"));
        ConnectionPoster poster = (id, message) -> {
            record(id, message);
            return ConnectionPoster.Delivery.DELIVERED;
        };
        // two statistics batches: the one that read version 7 put its snapshot after the one that read version 8
        var newer = stats("gala", 8);
        ((Map<String, Object>) newer.get("statistics")).put("version", 8L);
        var older = stats("gala", 7);
        ((Map<String, Object>) older.get("statistics")).put("version", 7L);
        new Broadcast(stores, poster, Executors.newVirtualThreadPerTaskExecutor(), 2).send(List.of(newer, older));
        Map<?, ?> shown = (Map<?, ?>) received.get("a").getLast().get("statistics");
        assertEquals(8, ((Map<?, ?>) shown.get("overall")).get("attended"));
        assertEquals(8, ((Number) shown.get("version")).intValue(), "the version survives the sections filter, for the page to compare");
    }

    @Test
    void eachConnectionGetsOnlyItsSections() throws Exception {
        connect("small", "gala", Set.of("overall"));
        connect("big", "gala", Set.of("overall", "gates", "hourly"));
        new Broadcast(stores, (id, m) -> record(id, m), Executors.newVirtualThreadPerTaskExecutor(), 4)
                .send(List.of(stats("gala", 1)));
        assertEquals(Set.of("eventId", "overall", "lastUpdated"), statistics("small").keySet());
        assertEquals(Set.of("eventId", "overall", "gates", "hourly", "lastUpdated"), statistics("big").keySet());
    }

    @Test
    void aSlowConnectionDoesNotHoldUpTheOthers() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add("c" + i);
        for (String id : ids) connect(id, "gala", Sections.DEFAULT);
        CountDownLatch othersDone = new CountDownLatch(ids.size() - 1);
        ConnectionPoster poster = (id, message) -> {
            if (id.equals("c7")) {
                // the slow one is answered only once every other connection has its message
                try {
                    assertTrue(othersDone.await(30, TimeUnit.SECONDS), "the others waited for the slow one");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ConnectionPoster.Delivery.FAILED;
            }
            record(id, message);
            othersDone.countDown();
            return ConnectionPoster.Delivery.DELIVERED;
        };
        // fewer slots than connections: the slow one holds one slot, the rest keep going through the others
        var result = new Broadcast(stores, poster, Executors.newVirtualThreadPerTaskExecutor(), 4).send(List.of(stats("gala", 1)));
        assertEquals(19, result.delivered());
        assertEquals(1, result.failed());
        assertEquals(20, stores.connections.size());
    }

    // issue 19 point 2: events used to be sent one after another
    @Test
    void anEventWithSlowConnectionsDoesNotDelayAnotherEventsFeed() throws Exception {
        connect("idle", "big", Sections.DEFAULT);
        connect("screen", "small", Sections.DEFAULT);
        CountDownLatch smallDelivered = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean bigWaitedInVain = new java.util.concurrent.atomic.AtomicBoolean();
        ConnectionPoster poster = (id, message) -> {
            if (id.equals("idle")) {
                try {
                    // answered only once the other event's dashboard has its figures
                    if (!smallDelivered.await(20, TimeUnit.SECONDS)) bigWaitedInVain.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ConnectionPoster.Delivery.DELIVERED;
            }
            record(id, message);
            smallDelivered.countDown();
            return ConnectionPoster.Delivery.DELIVERED;
        };
        var result = new Broadcast(stores, poster, Executors.newVirtualThreadPerTaskExecutor(), 4, Quotas.UNLIMITED,
                java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(30)).send(List.of(stats("big", 1), stats("small", 1)));
        assertTrue(!bigWaitedInVain.get(), "the small event waited for the big one");
        assertEquals(2, result.delivered());
    }

    @Test
    void anEventsBroadcastEndsWithinItsBudget() throws Exception {
        for (int i = 0; i < 4; i++) connect("stuck" + i, "big", Sections.DEFAULT);
        connect("screen", "small", Sections.DEFAULT);
        CountDownLatch never = new CountDownLatch(1);
        ConnectionPoster poster = (id, message) -> {
            if (id.startsWith("stuck")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ConnectionPoster.Delivery.FAILED;
            }
            return record(id, message);
        };
        var result = new Broadcast(stores, poster, Executors.newVirtualThreadPerTaskExecutor(), 2, Quotas.UNLIMITED,
                java.time.Clock.systemUTC(), java.time.Duration.ofMillis(300)).send(List.of(stats("big", 1), stats("small", 1)));
        never.countDown();
        assertEquals(1, result.delivered());
        assertEquals(4, result.late(), "two posts cut at the budget, two never started");
        assertEquals(5, stores.connections.size(), "a late connection is not removed");
    }

    // issue 19 point 8: a connection does not outlive its authorisation
    @Test
    void aConnectionWhoseAuthorisationEndedIsClosedAndRemovedAndGetsNothing() throws Exception {
        Instant now = Instant.parse("2026-11-26T09:00:00Z");
        stores.add(new DashboardConnection("expired", "gala", "ana", Sections.DEFAULT, now.minusSeconds(3600), now.minusSeconds(1)));
        stores.add(new DashboardConnection("live", "gala", "ana", Sections.DEFAULT, now.minusSeconds(60), now.plusSeconds(600)));
        stores.counts.put(DashboardLimits.connectionsOfSubject("ana"), 2);
        stores.counts.put(DashboardLimits.connectionsOfEvent("gala"), 2);
        List<String> closed = Collections.synchronizedList(new ArrayList<>());
        ConnectionPoster poster = new ConnectionPoster() {
            @Override
            public Delivery post(String id, byte[] message) {
                return record(id, message);
            }

            @Override
            public void close(String id) {
                closed.add(id);
            }
        };
        var result = new Broadcast(stores, poster, Executors.newVirtualThreadPerTaskExecutor(), 2, stores,
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC), java.time.Duration.ofSeconds(10))
                .send(List.of(stats("gala", 1)));
        assertEquals(List.of("expired"), closed);
        assertEquals(Set.of("live"), stores.connections.keySet());
        assertTrue(!received.containsKey("expired"));
        assertEquals(1, result.expired());
        assertEquals(1, stores.counts.get(DashboardLimits.connectionsOfSubject("ana")), "its place is given back");
        assertEquals(1, stores.counts.get(DashboardLimits.connectionsOfEvent("gala")));
    }

    private void connect(String id, String eventId, Set<String> sections) {
        stores.add(new DashboardConnection(id, eventId, "t", sections, Instant.EPOCH, Instant.MAX));
    }

    private ConnectionPoster.Delivery record(String id, byte[] message) {
        try {
            received.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(JSON.std.mapFrom(new String(message, StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return ConnectionPoster.Delivery.DELIVERED;
    }

    private Map<?, ?> statistics(String id) {
        return (Map<?, ?>) received.get(id).get(0).get("statistics");
    }

    static Map<String, Object> stats(String eventId, int attended) {
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("eventId", eventId);
        statistics.put("overall", Map.of("attended", attended));
        statistics.put("gates", Map.of());
        statistics.put("hourly", List.of());
        statistics.put("predictive", Map.of());
        statistics.put("alerts", List.of());
        statistics.put("lastUpdated", "2026-11-26T09:00:0" + attended + "Z");
        return Map.of("type", MessageTypes.STATS_UPDATED, "eventId", eventId, "publishedAt", "2026-11-26T09:00:00Z",
                "statistics", statistics);
    }

    static Map<String, Object> alert(String eventId, String id) {
        return Map.of("type", MessageTypes.ALERT_RAISED, "eventId", eventId,
                "alert", Map.of("id", id, "type", "gate_overload"));
    }
}
