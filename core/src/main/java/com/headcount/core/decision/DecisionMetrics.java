package com.headcount.core.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch of decisions tells the people watching doors open: how many scans each gate had decided, by outcome;
 * how long its live scans took from the moment of the scan to the decision; and how old the batch's oldest message
 * was when it was decided (a stream falling behind shows here before anywhere else).
 *
 * @param decided          scans decided, by gate and then verdict
 * @param scanToDecisionMs per gate, from each live scan's own time to its decision; late uploads (an offline gate's
 *                         backlog) are left out, as in the statistics, so hours-old scans do not drown the figure
 * @param batchAgeMs       from the oldest message's arrival to now; null for an empty batch
 * @param edgeMismatches   per gate, its scans whose provisional verdict the cloud's disagreed with on who went in,
 *                         by kind (issue 18); like {@code decided}, a redelivered batch reports its outcomes again:
 *                         the exact counts are the statistics'
 * @param provisionalsIgnored per gate, provisionals sent with a scan that the cloud could not read
 */
public record DecisionMetrics(Map<String, Map<Verdict, Integer>> decided, Map<String, List<Long>> scanToDecisionMs,
                              Long batchAgeMs, Map<String, Map<EdgeMismatch, Integer>> edgeMismatches,
                              Map<String, Integer> provisionalsIgnored) {

    /** Without provisional verdicts. */
    public DecisionMetrics(Map<String, Map<Verdict, Integer>> decided, Map<String, List<Long>> scanToDecisionMs,
                           Long batchAgeMs) {
        this(decided, scanToDecisionMs, batchAgeMs, Map.of(), Map.of());
    }

    /** A scan received more than this after it was made is a late upload (an offline gate's backlog), not live. */
    public static final Duration LATE_AFTER = Duration.ofMinutes(1);

    public static DecisionMetrics of(List<Outcome> outcomes, Instant oldestArrival, Instant now) {
        Map<String, Map<Verdict, Integer>> decided = new TreeMap<>();
        Map<String, List<Long>> latencies = new TreeMap<>();
        Map<String, Map<EdgeMismatch, Integer>> mismatches = new TreeMap<>();
        Map<String, Integer> ignored = new TreeMap<>();
        for (Outcome o : outcomes) {
            String gate = o.gateId() == null ? "unknown" : o.gateId();
            decided.computeIfAbsent(gate, g -> new TreeMap<>()).merge(o.verdict(), 1, Integer::sum);
            o.edgeMismatch().ifPresent(kind -> mismatches.computeIfAbsent(gate, g -> new TreeMap<>())
                    .merge(kind, 1, Integer::sum));
            if (o.provisional() != null && !o.provisional().readable()) ignored.merge(gate, 1, Integer::sum);
            if (o.scan() == null || o.receivedAt() == null || o.decidedAt() == null) continue;
            Instant scannedAt = o.scan().scannedAt();
            if (Duration.between(scannedAt, o.receivedAt()).compareTo(LATE_AFTER) > 0) continue;
            latencies.computeIfAbsent(gate, g -> new ArrayList<>())
                    .add(Math.max(0, Duration.between(scannedAt, o.decidedAt()).toMillis()));
        }
        Long age = oldestArrival == null ? null : Math.max(0, Duration.between(oldestArrival, now).toMillis());
        return new DecisionMetrics(decided, latencies, age, mismatches, ignored);
    }
}
