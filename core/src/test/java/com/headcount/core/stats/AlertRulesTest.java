package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.alerts.AlertState;
import com.headcount.core.decision.EdgeMismatch;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    static final Instant START = Instant.parse("2026-11-26T09:00:00Z");
    static final AttendanceEvent EVENT = new AttendanceEvent("e", "E", START, START.plus(Duration.ofHours(8)),
            ZoneId.of("Europe/Berlin"), Duration.ofMinutes(2), 0.8, 0.3);
    static final Gate GATE = new Gate("e", "north", "North", true, 2);

    static EventAggregates withScansAt(Instant at, int n) {
        var aggs = EventAggregates.empty();
        aggs.gate("north").add(Figures.MINUTE + Figures.minute(at), n);
        return aggs;
    }

    @Test
    void overloadIsRaisedAboveTheThresholdNotAtIt() {
        Instant now = START.plus(Duration.ofMinutes(30));
        var at = withScansAt(now, 8); // 8 / (2 × 5) = 0.8: not above
        assertTrue(AlertRules.evaluate(at, EVENT, List.of(GATE), 100, now).isEmpty());
        var above = withScansAt(now, 9);
        var raised = AlertRules.evaluate(above, EVENT, List.of(GATE), 100, now);
        assertEquals(1, raised.size());
        assertEquals("e:gate_overload#north:1", raised.get(0).id());
        assertEquals(0.9, raised.get(0).value(), 1e-9);
        assertEquals(List.of(raised.get(0).id()), List.copyOf(above.outbox.keySet()));
        assertTrue(AlertRules.evaluate(above, EVENT, List.of(GATE), 100, now.plusSeconds(30)).isEmpty(),
                "same episode");
        // five minutes later the scans are out of the window: re-armed, then a new episode
        assertTrue(AlertRules.evaluate(above, EVENT, List.of(GATE), 100, now.plus(Duration.ofMinutes(6))).isEmpty());
        assertEquals(new AlertState(false, 1), above.alertStates.get("gate_overload#north"));
        above.gate("north").add(Figures.MINUTE + Figures.minute(now.plus(Duration.ofMinutes(7))), 12);
        assertEquals("e:gate_overload#north:2",
                AlertRules.evaluate(above, EVENT, List.of(GATE), 100, now.plus(Duration.ofMinutes(7))).get(0).id());
    }

    @Test
    void lowAttendanceOnlyPastHalfTimeAndThresholdsArePerEvent() {
        var aggs = EventAggregates.empty();
        aggs.overall.add("attended", 29);
        Instant half = START.plus(Duration.ofHours(4));
        assertTrue(AlertRules.evaluate(aggs, EVENT, List.of(), 100, half).isEmpty(), "at half time exactly: not yet");
        assertEquals("e:low_attendance:1", AlertRules.evaluate(aggs, EVENT, List.of(), 100, half.plusSeconds(1)).get(0).id());
        var lenient = new AttendanceEvent("e", "E", EVENT.start(), EVENT.end(), EVENT.timeZone(), EVENT.clockSkewTolerance(),
                0.8, 0.2);
        assertTrue(AlertRules.evaluate(withAttended(29), lenient,
                List.of(), 100, half.plusSeconds(1)).isEmpty(), "29 % is fine for an event whose threshold is 20 %");
    }

    static void mismatches(EventAggregates aggs, EdgeMismatch kind, Instant decidedAt, int n) {
        for (int i = 0; i < n; i++) {
            EdgeMismatches.count(aggs.gate("north"), kind);
            EdgeMismatches.countMinute(aggs.gate("north"), kind, decidedAt);
        }
    }

    @Test
    void edgeMismatchesRaiseAtTheEventsThresholdWithinFifteenMinutesAndClearWhenTheWindowPasses() {
        Instant now = START.plus(Duration.ofMinutes(30));
        var aggs = EventAggregates.empty();
        mismatches(aggs, EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED, now.minus(Duration.ofMinutes(14)), 3);
        mismatches(aggs, EdgeMismatch.CLOUD_ACCEPTED_GATE_REFUSED, now.minus(Duration.ofMinutes(15)), 1);
        assertEquals(EVENT.edgeMismatchAlertThreshold(), 5, "the documented default");
        assertTrue(AlertRules.evaluate(aggs, EVENT, List.of(GATE), 100, now).isEmpty(),
                "3 in the window (one 15 minutes ago is out of it), 4 since the start: under 5");
        mismatches(aggs, EdgeMismatch.CLOUD_ACCEPTED_GATE_REFUSED, now, 2);
        var raised = AlertRules.evaluate(aggs, EVENT, List.of(GATE), 100, now);
        assertEquals(1, raised.size(), "5 in the window: at the threshold");
        assertEquals("e:edge_mismatch#north:1", raised.get(0).id());
        assertEquals(5, raised.get(0).value(), 1e-9);
        assertEquals("Gate North: 5 edge mismatches in 15 min (3 let in by the gate and refused by the cloud, "
                + "2 refused by the gate and accepted by the cloud; alert at 5)", raised.get(0).message());
        assertTrue(AlertRules.evaluate(aggs, EVENT, List.of(GATE), 100, now.plus(Duration.ofMinutes(15))).isEmpty());
        assertEquals(new AlertState(false, 1), aggs.alertStates.get("edge_mismatch#north"), "re-armed in silence");

        var strict = new AttendanceEvent("e", "E", EVENT.start(), EVENT.end(), EVENT.timeZone(),
                EVENT.clockSkewTolerance(), 0.8, 0.3, null, null, 1);
        var one = EventAggregates.empty();
        mismatches(one, EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED, now, 1);
        assertEquals("e:edge_mismatch#north:1",
                AlertRules.evaluate(one, strict, List.of(), 100, now).get(0).id(), "a gate not (or no longer) known too");
    }

    private static EventAggregates withAttended(long n) {
        var aggs = EventAggregates.empty();
        aggs.overall.add("attended", n);
        return aggs;
    }

    @Test
    void waitTimeIsTheMm1QueueWaitCappedWhenSaturated() {
        assertEquals(0, Figures.waitMinutes(0, 10), 1e-9);
        // ρ = 0.5, μ = 10/min: Wq = 0.5 / (10 × 0.5) = 0.1 min
        assertEquals(0.1, Figures.waitMinutes(0.5, 10), 1e-9);
        // ρ = 0.9, μ = 2/min: 0.9 / (2 × 0.1) = 4.5 min
        assertEquals(4.5, Figures.waitMinutes(0.9, 2), 1e-9);
        assertEquals(Figures.MAX_WAIT_MINUTES, Figures.waitMinutes(1.2, 2), 1e-9);
        assertEquals("rising", Figures.trend(12, 10));
        assertEquals("steady", Figures.trend(11, 10));
        assertEquals("falling", Figures.trend(8, 10));
        assertEquals("steady", Figures.trend(0, 0));
    }
}
