package com.headcount.device.simulator;

import com.headcount.device.Scan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the system must decide for each simulated scan, by the rules of docs/architecture.md ("How a scan is
 * decided"): unknown participant, inactive participant, then duplicate (another accepted scan of the same
 * participant, gate and direction within 5 minutes of event time, either side), else accepted.
 *
 * <p>The order of decision matters for duplicates, and it is known: the stream's partition key is the gate, so each
 * gate's scans are decided in the order the gate sent them, and the 5-minute rule only compares scans of one gate.
 */
public final class GroundTruth {

    public static final long WINDOW_MILLIS = 300_000;

    /** One expected outcome: "accepted", "duplicate" or "rejected" with a reason code. */
    public record Expected(String outcome, String reason) {}

    private final Map<String, Expected> byScanId;

    private GroundTruth(Map<String, Expected> byScanId) {
        this.byScanId = byScanId;
    }

    public static GroundTruth of(CrowdScenario scenario) {
        return inOrder(scenario, scenario.scansByGate().values(), Map.of());
    }

    /**
     * The same rules with participants deactivated during the event: a scan made at or after its participant's
     * deactivation (event time, {@code inactiveFrom}) is refused as inactive. Valid only for participants with no scan
     * before the deactivation that is decided after it (the cloud reads the status when it decides, not as of the scan).
     */
    public static GroundTruth of(CrowdScenario scenario, Map<String, Instant> inactiveFrom) {
        return inOrder(scenario, scenario.scansByGate().values(), inactiveFrom);
    }

    /**
     * The same rules, with each gate's scans decided in the order the stream received them ({@code arrivalRank}: a
     * rank per scan id; scans without one keep their place after the ranked ones). A gate sends in the order it made
     * its scans, but a publish that got no PUBACK in time is sent again after the scans behind it (ScanSender), and
     * then the later scan of a lane is the one decided first: the window is either side, so it is accepted and the
     * earlier one becomes its duplicate. A faulty run is judged by what arrived, in the order it arrived.
     */
    public static GroundTruth inArrivalOrder(CrowdScenario scenario, Map<String, ? extends Comparable<?>> arrivalRank) {
        List<List<PlannedScan>> ordered = new ArrayList<>();
        for (List<PlannedScan> gateScans : scenario.scansByGate().values()) {
            List<PlannedScan> copy = new ArrayList<>(gateScans);
            copy.sort((a, b) -> compareRanks(arrivalRank.get(a.scan().scanId()), arrivalRank.get(b.scan().scanId())));
            ordered.add(copy);
        }
        return inOrder(scenario, ordered, Map.of());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareRanks(Comparable a, Comparable b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
        return a.compareTo(b);
    }

    private static GroundTruth inOrder(CrowdScenario scenario, java.util.Collection<List<PlannedScan>> scansByGate,
                                       Map<String, Instant> inactiveFrom) {
        Map<String, Boolean> activeById = new HashMap<>();
        scenario.participants().forEach(p -> activeById.put(p.participantId(), p.active()));
        Map<String, Expected> expected = new LinkedHashMap<>();
        Map<String, List<Instant>> acceptedByWindow = new HashMap<>();
        for (List<PlannedScan> gateScans : scansByGate) {
            for (PlannedScan planned : gateScans) {
                Scan scan = planned.scan();
                Boolean active = activeById.get(scan.participantId());
                Instant deactivated = inactiveFrom.get(scan.participantId());
                if (deactivated != null && !scan.timestamp().toInstant().isBefore(deactivated)) active = false;
                Expected outcome;
                if (active == null) {
                    outcome = new Expected("rejected", "participant_not_found");
                } else if (!active) {
                    outcome = new Expected("rejected", "participant_inactive");
                } else {
                    String window = scan.participantId() + "|" + scan.gateId() + "|"
                            + (scan.direction() == null ? "entry" : scan.direction().wireName());
                    List<Instant> accepted = acceptedByWindow.computeIfAbsent(window, k -> new ArrayList<>());
                    long at = scan.timestamp().toInstant().toEpochMilli();
                    boolean collides = accepted.stream().anyMatch(a -> Math.abs(a.toEpochMilli() - at) <= WINDOW_MILLIS);
                    if (collides) {
                        outcome = new Expected("duplicate", null);
                    } else {
                        accepted.add(scan.timestamp().toInstant());
                        outcome = new Expected("accepted", null);
                    }
                }
                expected.put(scan.scanId(), outcome);
            }
        }
        return new GroundTruth(Map.copyOf(expected));
    }

    public Map<String, Expected> byScanId() {
        return byScanId;
    }

    public Tally tally() {
        return Tally.of(byScanId.values().stream().map(e -> Map.entry(e.outcome(), e.reason() == null ? "" : e.reason()))
                .toList());
    }
}
