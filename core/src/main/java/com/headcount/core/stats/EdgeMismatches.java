package com.headcount.core.stats;

import com.headcount.core.decision.EdgeMismatch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Edge mismatches in the statistics (issue 18): per gate and kind, on the gate's aggregate and the overall one.
 *
 * <p>Counters: {@code mismatch.<kind>} (since the event began) on the overall and gate items, and on the gate items
 * {@code x.<kind>.<minute>}, the minute of the cloud's decision: when the disagreement became known. The alert's window
 * is read from these by the wall clock, not by scan time: an offline gate's backlog, uploaded twenty minutes late, is
 * exactly when its mismatches show, and read at its scan times it would have left the window already.
 */
public final class EdgeMismatches {

    public static final String COUNTER = "mismatch.";
    public static final String MINUTE = "x.";
    /** The alert's window: the last 15 whole minutes of decisions, the current one included. */
    public static final int WINDOW_MINUTES = 15;

    private EdgeMismatches() {}

    static void count(Aggregate a, EdgeMismatch kind) {
        a.add(COUNTER + kind.code(), 1);
    }

    static void countMinute(Aggregate gate, EdgeMismatch kind, Instant decidedAt) {
        gate.add(MINUTE + kind.code() + "." + Figures.minute(decidedAt), 1);
    }

    /** One kind's mismatches at a gate decided in the last {@link #WINDOW_MINUTES} minutes up to {@code now}. */
    public static long recent(Aggregate gate, EdgeMismatch kind, Instant now) {
        long last = Figures.minute(now);
        long sum = 0;
        for (long m = last - WINDOW_MINUTES + 1; m <= last; m++) sum += gate.get(MINUTE + kind.code() + "." + m);
        return sum;
    }

    public static long recent(Aggregate gate, Instant now) {
        long sum = 0;
        for (EdgeMismatch kind : EdgeMismatch.values()) sum += recent(gate, kind, now);
        return sum;
    }

    /**
     * The {@code edgeMismatches} section of a gate (and, without the window, of the overall figures): each kind since
     * the event began, and, for a gate, each kind in the alert's window.
     */
    static Map<String, Object> section(Aggregate a, Instant now, boolean withWindow) {
        Map<String, Object> m = new LinkedHashMap<>();
        long total = 0;
        for (EdgeMismatch kind : EdgeMismatch.values()) {
            long n = a.get(COUNTER + kind.code());
            m.put(kind.code(), n);
            total += n;
        }
        m.put("total", total);
        if (withWindow) {
            Map<String, Object> recent = new LinkedHashMap<>();
            for (EdgeMismatch kind : EdgeMismatch.values()) recent.put(kind.code(), recent(a, kind, now));
            recent.put("total", recent(a, now));
            m.put("last15Minutes", recent);
        }
        return m;
    }
}
