package com.headcount.core.stats;

import com.headcount.core.decision.EdgeMismatch;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a batch's counted scans to the aggregates, each only where the aggregate's watermark says it is missing, then
 * raises the watermark of every aggregate it changed. Pure: the caller reads and writes the items.
 *
 * <p>Counter names: overall {@code scans, entries, exits, attended, inside, lastAt, m.<minute>} (entries) and
 * {@code c.<5-minute index since doors open>} (participants who became attended); gate {@code scans, method.<m>, lastAt, m.<minute>}
 * (accepted scans), {@code l.<latency bucket>.<minute>} (live scans), {@code late, lateAgeMs, lateMaxAgeMs,
 * lateLastAt} (late uploads); hour {@code scans, method.<m>, gate.<id>}. Edge mismatches: see {@link EdgeMismatches}.
 */
public final class Aggregation {

    private static final Duration CURVE_BUCKET = Duration.ofMinutes(5);

    private Aggregation() {}

    /** Without refused scans. */
    public static List<Aggregate> apply(EventAggregates aggs, List<Contribution> batch, ZoneId zone, Instant doorsOpen,
                                       String shardId, BigInteger lastSequence, Instant now) {
        return apply(aggs, batch, List.of(), zone, doorsOpen, shardId, lastSequence, now);
    }

    /**
     * @param refusals the batch's claimed refusals of scans their gate let in: counted as edge mismatches only, under
     *                 the same watermarks as the accepted scans
     * @return the aggregates changed, to be written (gates and hours first, the overall item last)
     */
    public static List<Aggregate> apply(EventAggregates aggs, List<Contribution> batch, List<StreamedScan> refusals,
                                       ZoneId zone, Instant doorsOpen, String shardId, BigInteger lastSequence,
                                       Instant now) {
        for (StreamedScan s : refusals) {
            EdgeMismatch kind = s.edgeMismatch().orElseThrow();
            if (aggs.overall.lacks(s.occurrence())) EdgeMismatches.count(aggs.overall, kind);
            Aggregate gate = aggs.gate(s.gateId());
            if (gate.lacks(s.occurrence())) {
                EdgeMismatches.count(gate, kind);
                EdgeMismatches.countMinute(gate, kind, s.outcome().decidedAt());
            }
        }
        for (Contribution c : batch) {
            StreamedScan s = c.scan();
            Occurrence o = s.occurrence();
            long minute = Figures.minute(s.scannedAt());

            Aggregate overall = aggs.overall;
            if (overall.lacks(o)) {
                overall.add("scans", 1);
                overall.add(s.isEntry() ? "entries" : "exits", 1);
                overall.add("attended", c.attendedDelta());
                overall.add("inside", c.insideDelta());
                overall.max(Figures.LAST_AT, s.scannedAt().toEpochMilli());
                if (s.isEntry()) overall.add(Figures.MINUTE + minute, 1);
                if (c.attendedDelta() != 0) {
                    long bucket = Math.max(0, Duration.between(doorsOpen, s.scannedAt()).toMillis() / CURVE_BUCKET.toMillis());
                    overall.add(Figures.CURVE + bucket, c.attendedDelta());
                }
                s.edgeMismatch().ifPresent(kind -> EdgeMismatches.count(overall, kind));
            }
            Aggregate gate = aggs.gate(s.gateId());
            if (gate.lacks(o)) {
                gate.add("scans", 1);
                gate.add("method." + s.method(), 1);
                gate.max(Figures.LAST_AT, s.scannedAt().toEpochMilli());
                long age = Duration.between(s.scannedAt(), s.outcome().receivedAt()).toMillis();
                if (age > Figures.LATE_AFTER.toMillis()) {
                    // an offline gate's backlog: counted apart, so it never reads as a slow check-in
                    gate.add("late", 1);
                    gate.add("lateAgeMs", age);
                    gate.max("lateMaxAgeMs", age);
                    gate.max("lateLastAt", s.outcome().receivedAt().toEpochMilli());
                } else {
                    long latency = Math.max(0, Duration.between(s.scannedAt(), s.outcome().decidedAt()).toMillis());
                    gate.add(Figures.latencyCounter(latency, minute), 1);
                }
                gate.add(Figures.MINUTE + minute, 1);
                s.edgeMismatch().ifPresent(kind -> {
                    EdgeMismatches.count(gate, kind);
                    EdgeMismatches.countMinute(gate, kind, s.outcome().decidedAt());
                });
            }
            Aggregate hour = aggs.hour(Figures.hourKey(s.scannedAt(), zone));
            if (hour.lacks(o)) {
                hour.add("scans", 1);
                hour.add("method." + s.method(), 1);
                hour.add("gate." + s.gateId(), 1);
            }
        }
        long oldestKept = Figures.minute(now) - Figures.KEPT_MINUTES;
        long oldestLatency = Figures.minute(now) - Figures.LATENCY_KEPT_MINUTES;
        List<Aggregate> changed = new ArrayList<>();
        for (Aggregate a : aggs.gates.values()) if (a.changed()) changed.add(a);
        for (Aggregate a : aggs.hours.values()) if (a.changed()) changed.add(a);
        for (Aggregate a : changed) finish(a, shardId, lastSequence, oldestKept, oldestLatency);
        if (aggs.overall.changed()) finish(aggs.overall, shardId, lastSequence, oldestKept, oldestLatency);
        return changed;
    }

    private static void finish(Aggregate a, String shardId, BigInteger lastSequence, long oldestKept, long oldestLatency) {
        a.advance(shardId, lastSequence);
        a.pruneMinutes(Figures.MINUTE, oldestKept);
        a.pruneMinutes(Figures.LATENCY, oldestLatency);
        a.pruneMinutes(EdgeMismatches.MINUTE, oldestKept);
    }
}
