package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.alerts.AlertState;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Verdict;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.scan.Direction;
import com.headcount.testing.MutableClock;
import com.headcount.testing.Scans;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The clock alone, on the core's fakes: what a tick decides for one event as time passes without scans. The real
 * functions on the emulators: local StatsClockTest.
 */
class StatsClockTest {

    static final AttendanceEvent EVENT = Scans.EVENT_SETTINGS; // 09:00–18:00 UTC, half time 13:30
    static final Gate NORTH = new Gate(Scans.EVENT, "north", "North gate", true, 2);

    final InMemoryStatisticsStore store = new InMemoryStatisticsStore();
    final MutableClock clock = new MutableClock(EVENT.start().plus(Duration.ofMinutes(20)));
    final List<Map<String, Object>> published = new ArrayList<>();
    final List<String> streamed = new ArrayList<>();
    long sequence = 1;

    final EventDirectory directory = new EventDirectory() {
        @Override
        public List<AttendanceEvent> running(Instant now) {
            return !now.isBefore(StatsClock.runsFrom(EVENT)) && !now.isAfter(StatsClock.runsUntil(EVENT))
                    ? List.of(EVENT) : List.of();
        }

        @Override
        public List<Gate> gates(String eventId) {
            return List.of(NORTH);
        }
    };

    StatsClock statsClock() {
        AlertOutbox outbox = new AlertOutbox(store, List.of(alert -> streamed.add(alert.id())));
        return new StatsClock(directory, store, outbox, new Publication(id -> Optional.empty(),
                (id, doc, at) -> published.add(doc)), AlertRules.STANDARD, clock,
                d -> {}, new Random(1));
    }

    StatsUpdater updater() {
        var reference = Scans.reference().put(new com.headcount.core.reference.ReferenceKey.OfGate(Scans.EVENT, "north"), NORTH);
        return new StatsUpdater(reference, reference, store, new AlertOutbox(store, List.of(alert -> streamed.add(alert.id()))),
                Publication.none(), AlertRules.STANDARD, clock, d -> {}, new Random(1));
    }

    void scans(int n) {
        List<StreamedScan> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = clock.instant().minusSeconds(1);
            var scan = Scans.scan("s-" + sequence, "p-" + sequence, "north", at, Direction.ENTRY);
            batch.add(new StreamedScan(new Occurrence("shardId-1", BigInteger.valueOf(++sequence)), new Outcome(null,
                    scan, scan.scanId(), scan.eventId(), scan.participantId(), "north", Verdict.ACCEPTED, null, null,
                    null, null, at.plusMillis(100), at.plusMillis(150))));
        }
        updater().apply("shardId-1", batch.getLast().occurrence().sequence(), batch);
    }

    AlertState state(String key) {
        return store.everything(Scans.EVENT).aggregates().alertStates.getOrDefault(key, AlertState.ARMED);
    }

    @Test
    void lowAttendanceIsRaisedWithNoScanArriving() {
        store.active = 100;
        scans(2); // 2 % attended, then silence
        StatsClock ticking = statsClock();
        while (clock.instant().isBefore(Instant.parse("2026-11-26T13:25:00Z"))) {
            clock.advance(Duration.ofMinutes(5));
            assertEquals(0, ticking.tick().alertsRaised(), "not before half time");
        }
        clock.set(Instant.parse("2026-11-26T13:30:00Z"));
        assertEquals(0, ticking.tick().alertsRaised(), "at half time exactly: not yet");
        clock.advance(Duration.ofMinutes(1));
        var tick = ticking.tick();
        assertEquals(1, tick.alertsRaised(), "raised by the clock, past half time, with no scan arriving");
        assertEquals(List.of(Scans.EVENT + ":low_attendance:1"), streamed);
        assertEquals(List.of(Scans.EVENT + ":low_attendance:1"), List.copyOf(store.history.keySet()));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, ticking.tick().alertsRaised(), "once per episode");
    }

    @Test
    void anOverloadClearsInSilenceAndIsRaisedAgainOnTheNextSurge() {
        scans(11); // 11 in a minute at 2/min: load 1.1
        assertEquals(new AlertState(true, 1), state("gate_overload#north"), "raised by the batch");
        StatsClock ticking = statsClock();
        int ticks = 0;
        while (state("gate_overload#north").raised()) {
            clock.advance(Duration.ofMinutes(1));
            ticking.tick();
            assertTrue(++ticks <= 11, "cleared within the window plus the lag allowance");
        }
        assertEquals(new AlertState(false, 1), state("gate_overload#north"), "re-armed in silence");
        Map<String, Object> last = published.getLast();
        @SuppressWarnings("unchecked")
        var north = (Map<String, Object>) ((Map<String, Object>) last.get("gates")).get("north");
        assertEquals(0.0, north.get("currentLoad"), "the published load decayed to nothing");
        assertEquals(0.0, north.get("estimatedWaitMinutes"));

        clock.advance(Duration.ofMinutes(3));
        scans(12);
        assertEquals(new AlertState(true, 2), state("gate_overload#north"), "the next surge is a new episode");
        assertEquals(List.of(Scans.EVENT + ":gate_overload#north:1", Scans.EVENT + ":gate_overload#north:2"), streamed);
    }

    @Test
    void aGateThatFallsSilentIsReportedOfflineByTheClockAndClearedWhenHeardAgain() {
        Instant t = clock.instant();
        store.heartbeats.put("north", new GateHeartbeat("north", t, t, true, 0L, null, "1.0"));
        StatsClock ticking = statsClock();
        clock.advance(Duration.ofMinutes(1));
        ticking.tick();
        assertEquals(AlertState.ARMED, state("gate_offline#north"), "heard a minute ago");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, ticking.tick().alertsRaised(), "silent for 3 minutes, no scan or batch involved");
        assertEquals(new AlertState(true, 1), state("gate_offline#north"));
        scans(3); // a batch has no heartbeats: it leaves the gate's state alone
        assertEquals(new AlertState(true, 1), state("gate_offline#north"));
        store.heartbeats.put("north", new GateHeartbeat("north", clock.instant(), clock.instant(), true, 0L, null, "1.0"));
        clock.advance(Duration.ofMinutes(1));
        ticking.tick();
        assertEquals(new AlertState(false, 1), state("gate_offline#north"), "heard again: re-armed");
        assertEquals(List.of(Scans.EVENT + ":gate_offline#north:1"), streamed);
        @SuppressWarnings("unchecked")
        var north = (Map<String, Object>) ((Map<String, Object>) published.getLast().get("gates")).get("north");
        assertEquals("online", ((Map<?, ?>) north.get("health")).get("status"), "the clock's document has the health");
    }

    @Test
    void everyTickPublishesEveryRunningEventSoALostPublicationIsMadeWithinAMinuteAndEndedEventsAreNotLookedAt() {
        StatsClock ticking = statsClock();
        assertEquals(0, ticking.tick().published(), "no statistics yet: nothing to show");
        scans(3);
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, ticking.tick().published());
        assertEquals(1, ticking.tick().published(), "the same moment again: published again, nothing is remembered");
        assertEquals(3L, ((Map<?, ?>) published.getLast().get("overall")).get("acceptedScans"));
        assertEquals(1L, published.getLast().get("version"), "one write changed the counts");

        clock.set(StatsClock.runsUntil(EVENT).minusSeconds(60));
        assertEquals(1, ticking.tick().running());
        clock.set(StatsClock.runsUntil(EVENT).plusSeconds(1));
        var after = ticking.tick();
        assertEquals(0, after.running(), "ended: not evaluated at all");
    }

    @Test
    void anAlertWhoseDeliveryFailedIsDeliveredByTheNextTickEvenWhenNothingElseChanged() {
        Instant t = clock.instant();
        store.heartbeats.put("north", new GateHeartbeat("north", t, t, true, 0L, null, "1.0"));
        int[] failures = {1};
        AlertOutbox flaky = new AlertOutbox(store, List.of(alert -> {
            if (failures[0]-- > 0) throw new IllegalStateException("injected: the stream throttled");
            streamed.add(alert.id());
        }));
        StatsClock ticking = new StatsClock(directory, store, flaky, new Publication(id -> Optional.empty(),
                (id, doc, at) -> published.add(doc)), AlertRules.STANDARD, clock, d -> {}, new Random(1));
        clock.advance(Duration.ofMinutes(3));
        var failed = ticking.tick();
        assertEquals(Map.of(Scans.EVENT, "java.lang.IllegalStateException: injected: the stream throttled"),
                failed.failed(), "the gate went silent; its alert was raised and its delivery failed");
        assertEquals(new AlertState(true, 1), state("gate_offline#north"), "raised, and waiting in the outbox");
        assertTrue(streamed.isEmpty());

        var next = ticking.tick(); // the same moment: no window slid, no figure moved
        assertEquals(Map.of(), next.failed());
        assertEquals(0, next.written(), "still offline: no state changed, nothing to write");
        assertEquals(List.of(Scans.EVENT + ":gate_offline#north:1"), streamed, "delivered all the same");
        assertTrue(store.everything(Scans.EVENT).aggregates().outbox.isEmpty(), "and taken out of the outbox");
    }
}
