package com.headcount.device.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.device.Direction;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated crowd is deterministic, replays the past within the event's window, and its ground truth follows rule 6. */
class CrowdScenarioTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");

    @Test
    void the_same_seed_gives_the_same_crowd_scan_ids_included() {
        var a = CrowdScenario.generate("e", NOW, CrowdSettings.defaults(42, 400));
        var b = CrowdScenario.generate("e", NOW, CrowdSettings.defaults(42, 400));
        var c = CrowdScenario.generate("e", NOW, CrowdSettings.defaults(43, 400));
        assertEquals(a, b);
        assertFalse(a.allScans().equals(c.allScans()));
    }

    @Test
    void scans_are_in_the_past_inside_the_event_window_in_time_order_per_gate_with_an_offline_stretch() {
        var scenario = CrowdScenario.generate("e", NOW, CrowdSettings.defaults(7, 1500));
        assertTrue(scenario.totalScans() >= 2000, "1 500 participants make over 2 000 scans: " + scenario.totalScans());
        Instant earliestAllowed = scenario.eventStart().minus(Duration.ofHours(1));
        for (List<PlannedScan> gate : scenario.scansByGate().values()) {
            for (int i = 0; i < gate.size(); i++) {
                Instant at = gate.get(i).scan().timestamp().toInstant();
                assertFalse(at.isAfter(NOW), "never ahead of real time (the clock-skew rule)");
                assertFalse(at.isBefore(earliestAllowed), "inside the event's scan window");
                if (i > 0) assertFalse(at.isBefore(gate.get(i - 1).scan().timestamp().toInstant()), "time order");
            }
        }
        assertTrue(scenario.scansByGate().get("south").stream().anyMatch(PlannedScan::whileGateOffline));
        assertTrue(scenario.scansByGate().get("north").stream().noneMatch(PlannedScan::whileGateOffline));
        // the arrival curve rises before the start: more arrivals in the 20 minutes before it than in the first 20 after doors open
        long early = count(scenario, scenario.firstScan(), scenario.firstScan().plus(Duration.ofMinutes(20)));
        long beforeStart = count(scenario, scenario.eventStart().minus(Duration.ofMinutes(20)), scenario.eventStart());
        assertTrue(beforeStart > 3 * early, early + " early vs " + beforeStart + " before the start");
        Tally truth = GroundTruth.of(scenario).tally();
        assertEquals(scenario.totalScans(), truth.total());
        assertTrue(truth.duplicate() > 0 && truth.rejected("participant_inactive") > 0
                && truth.rejected("participant_not_found") > 0);
    }

    @Test
    void ground_truth_applies_the_five_minute_window_per_participant_gate_and_direction_both_bounds_included() {
        var scans = List.of(
                planned("s1", "P-1", "north", "10:00:00.000", Direction.ENTRY),
                planned("s2", "P-1", "north", "10:05:00.000", Direction.ENTRY),  // exactly 5 min: duplicate
                planned("s3", "P-1", "north", "10:05:00.001", Direction.EXIT),   // other direction: accepted
                planned("s4", "P-1", "north", "10:10:00.001", Direction.ENTRY),  // 5 min + 1 ms after s1: accepted
                planned("s5", "P-2", "north", "10:00:01.000", Direction.ENTRY),  // inactive
                planned("s6", "X-9", "north", "10:00:02.000", Direction.ENTRY)); // unknown
        var scenario = new CrowdScenario("e", NOW, NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC,
                List.of(new GateSpec("north", "North", 10)),
                List.of(new SimulatedParticipant("P-1", true), new SimulatedParticipant("P-2", false)),
                Map.of("north", scans), NOW, NOW, null);
        var truth = GroundTruth.of(scenario).byScanId();
        assertEquals("accepted", truth.get("s1").outcome());
        assertEquals("duplicate", truth.get("s2").outcome());
        assertEquals("accepted", truth.get("s3").outcome());
        assertEquals("accepted", truth.get("s4").outcome());
        assertEquals(new GroundTruth.Expected("rejected", "participant_inactive"), truth.get("s5"));
        assertEquals(new GroundTruth.Expected("rejected", "participant_not_found"), truth.get("s6"));
    }

    @Test
    void a_gate_offline_for_twenty_minutes_at_the_peak_is_offline_for_exactly_those_scans() {
        var settings = CrowdSettings.defaults(7, 1500).withOffline("east", Duration.ofMinutes(35), Duration.ofMinutes(20));
        var scenario = CrowdScenario.generate("e", NOW, settings);
        Instant from = scenario.firstScan().plus(Duration.ofMinutes(35));
        Instant until = from.plus(Duration.ofMinutes(20));
        assertEquals("east", scenario.offlineGateId());
        for (PlannedScan p : scenario.allScans()) {
            Instant at = p.scan().timestamp().toInstant();
            boolean inside = p.scan().gateId().equals("east") && !at.isBefore(from) && at.isBefore(until);
            assertEquals(inside, p.whileGateOffline(), p.scan().gateId() + " at " + at);
        }
        assertTrue(scenario.scansByGate().get("east").stream().anyMatch(PlannedScan::whileGateOffline));
    }

    @Test
    void a_participant_deactivated_mid_event_is_refused_from_then_on_and_only_then() {
        List<PlannedScan> scans = List.of(
                planned("s1", "P-1", "north", "10:00:00.000", Direction.ENTRY),
                planned("s2", "P-1", "north", "10:20:00.000", Direction.ENTRY),  // the moment of the change: refused
                planned("s3", "P-1", "north", "10:30:00.000", Direction.EXIT));
        var scenario = new CrowdScenario("e", NOW, NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC,
                List.of(new GateSpec("north", "North", 10)), List.of(new SimulatedParticipant("P-1", true)),
                Map.of("north", scans), NOW, NOW, null);
        var truth = GroundTruth.of(scenario, Map.of("P-1", Instant.parse("2026-11-26T10:20:00Z"))).byScanId();
        assertEquals("accepted", truth.get("s1").outcome());
        assertEquals(new GroundTruth.Expected("rejected", "participant_inactive"), truth.get("s2"));
        assertEquals(new GroundTruth.Expected("rejected", "participant_inactive"), truth.get("s3"));
    }

    private static long count(CrowdScenario scenario, Instant from, Instant to) {
        return scenario.allScans().stream().map(p -> p.scan().timestamp().toInstant())
                .filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
    }

    private static PlannedScan planned(String id, String participant, String gate, String time, Direction direction) {
        return new PlannedScan(new Scan(id, "e", participant, gate, OffsetDateTime.parse("2026-11-26T" + time + "Z"),
                ScanMethod.QR_SCAN, direction, null, null), false);
    }
}
