package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GateHealthTest {

    static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    final AttendanceEvent event = AttendanceEvent.withDefaults("gala", START, START.plus(Duration.ofHours(4)), ZoneId.of("UTC"));
    final Gate north = new Gate("gala", "north", "North", true, 30);
    final Gate south = new Gate("gala", "south", "South", true, 30);
    final Gate closed = new Gate("gala", "closed", "Closed", false, 30);

    static GateHeartbeat heard(String gate, Instant at) {
        return new GateHeartbeat(gate, at, at.plusMillis(40), true, 0L, null, "gate/1.0");
    }

    List<GateHealth.OfflineCheck> at(Instant now, Map<String, GateHeartbeat> heartbeats) {
        return GateHealth.offline(event, List.of(north, south, closed), heartbeats, now, GateHealth.SILENCE);
    }

    @Test
    void aWatchedGateSilentForMoreThanTwoMinutesDuringTheEventIsOffline() {
        Instant now = START.plus(Duration.ofMinutes(30));
        var heartbeats = Map.of("north", heard("north", now.minusSeconds(120)), "south", heard("south", now.minusSeconds(121)),
                "closed", heard("closed", now.minusSeconds(3600)));
        var checks = at(now, heartbeats);
        assertEquals(List.of("north", "south"), checks.stream().map(GateHealth.OfflineCheck::gateId).toList());
        assertFalse(checks.get(0).holds(), "exactly two minutes is not yet silent for more than two");
        assertTrue(checks.get(1).holds());
        assertEquals(121, checks.get(1).silentSeconds());
        assertEquals(120, checks.get(1).thresholdSeconds());
        assertTrue(checks.get(1).message().contains("South silent for 2 min 01 s"), checks.get(1).message());
    }

    @Test
    void onlyWhileTheEventTakesScansFromDoorsOpenToItsEnd() {
        var heartbeats = Map.of("north", heard("north", START.minus(Duration.ofHours(3))));
        assertFalse(at(START.minus(Duration.ofMinutes(61)), heartbeats).get(0).holds(), "before doors open");
        assertTrue(at(START.minus(Duration.ofMinutes(60)), heartbeats).get(0).holds(), "doors open");
        assertTrue(at(event.end(), heartbeats).get(0).holds(), "the last minute");
        assertFalse(at(event.end().plusSeconds(1), heartbeats).get(0).holds(), "gates are switched off after the end");
    }

    @Test
    void aGateNeverHeardFromIsNotWatched() {
        assertTrue(at(START.plus(Duration.ofHours(1)), Map.of()).isEmpty());
    }

    @Test
    void healthShowsLastSeenBacklogAndClockOffset() {
        Instant now = START.plus(Duration.ofMinutes(5));
        var beat = new GateHeartbeat("north", now.minusSeconds(20), now.minusSeconds(20).plusMillis(1500), true, 12L,
                now.minusSeconds(300), "gate/1.2");
        Map<String, Object> h = GateHealth.of(beat, now, GateHealth.SILENCE);
        assertEquals("online", h.get("status"));
        assertEquals(now.minusSeconds(20).toString(), h.get("lastSeen"));
        assertEquals(20L, h.get("silentSeconds"));
        assertEquals(12L, h.get("backlog"));
        assertEquals(1500L, h.get("clockOffsetMs"));
        assertEquals(now.minusSeconds(300).toString(), h.get("oldestQueuedAt"));
        assertEquals("gate/1.2", h.get("version"));

        var will = new GateHeartbeat("north", now.minusSeconds(5), null, false, null, null, null);
        assertEquals("disconnected", GateHealth.of(will, now, GateHealth.SILENCE).get("status"));
        assertNull(GateHealth.of(will, now, GateHealth.SILENCE).get("clockOffsetMs"));
        assertEquals("offline", GateHealth.of(will, now.plusSeconds(200), GateHealth.SILENCE).get("status"));
        assertEquals("unknown", GateHealth.of(null, now, GateHealth.SILENCE).get("status"));
    }

    @Test
    void aDecidingGatesAllowListIsShownAgedByTheSilenceSinceItsHeartbeatAndAbsentOtherwise() {
        Instant now = START.plus(Duration.ofMinutes(5));
        var beat = new GateHeartbeat("north", now.minusSeconds(40), now.minusSeconds(40), true, 0L, null, "gate/2",
                95L, 1_764_145_800_123L);
        Map<String, Object> h = GateHealth.of(beat, now, GateHealth.SILENCE);
        assertEquals(1_764_145_800_123L, h.get("allowListVersion"));
        assertEquals(135L, h.get("allowListAgeSeconds"), "95 s when sent, 40 s of silence since");
        Map<String, Object> plain = GateHealth.of(heard("north", now), now, GateHealth.SILENCE);
        assertTrue(plain.containsKey("allowListAgeSeconds") && plain.get("allowListAgeSeconds") == null,
                "a gate without an allow-list: shown as none, not as zero");
        assertNull(plain.get("allowListVersion"));
    }

    @Test
    void eachGateOfASnapshotGetsItsHealth() {
        Instant now = START;
        Map<String, Object> gates = new TreeMap<>();
        gates.put("north", new LinkedHashMap<>(Map.of("gateId", "north")));
        gates.put("south", new LinkedHashMap<>(Map.of("gateId", "south")));
        Map<String, Object> snapshot = new LinkedHashMap<>(Map.of("gates", gates));
        GateHealth.addTo(snapshot, Map.of("north", heard("north", now)), now);
        assertEquals("online", ((Map<?, ?>) ((Map<?, ?>) gates.get("north")).get("health")).get("status"));
        assertEquals("unknown", ((Map<?, ?>) ((Map<?, ?>) gates.get("south")).get("health")).get("status"));
    }
}
