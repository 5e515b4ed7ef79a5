package com.headcount.core.stats;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The formulas of STATISTICS.md, in one place so the writer (alerts) and the reader (snapshot) agree.
 * Windows are whole clock minutes, the current one included: "the last 5 minutes" at 10:07:30 is 10:03:00–10:07:59.
 */
public final class Figures {

    /** Per-minute counters (epoch minute of the scan time) kept in the items; older ones are pruned. */
    public static final String MINUTE = "m.";
    /** Per-5-minute arrival counters since doors open, kept for the whole event (the forecast's arrival curve). */
    public static final String CURVE = "c.";
    public static final int KEPT_MINUTES = 30;
    public static final int LOAD_MINUTES = 5;
    public static final int TREND_MINUTES = 15;
    /** Above this many minutes the M/M/1 wait says little more than "very long". */
    public static final double MAX_WAIT_MINUTES = 60;

    private Figures() {}

    public static long minute(Instant t) {
        return Math.floorDiv(t.toEpochMilli(), 60_000L);
    }

    public static String hourKey(Instant t, ZoneId zone) {
        return Aggregate.HOUR_PREFIX + ZonedDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    /** Sum of the minute counters of the {@code minutes} minutes ending {@code endsMinutesAgo} minutes before now. */
    public static long inMinutes(Aggregate a, Instant now, int minutes, int endsMinutesAgo) {
        long last = minute(now) - endsMinutesAgo;
        long sum = 0;
        for (long m = last - minutes + 1; m <= last; m++) sum += a.get(MINUTE + m);
        return sum;
    }

    /** Accepted scans of the last 5 minutes ÷ (capacity per minute × 5); 0 for a gate without capacity. */
    public static double load(long acceptedLastFiveMinutes, int capacityPerMinute) {
        if (capacityPerMinute <= 0) return 0;
        return acceptedLastFiveMinutes / (capacityPerMinute * (double) LOAD_MINUTES);
    }

    /**
     * Mean wait in the queue of an M/M/1 gate: arrivals at the rate of the last 5 minutes (λ), served at the gate's
     * capacity (μ), Wq = ρ / (μ − λ) = ρ / (μ (1 − ρ)) minutes with ρ = λ/μ the current load. At ρ ≥ 1 the queue
     * grows without bound; the figure is then capped at {@value #MAX_WAIT_MINUTES} minutes.
     */
    public static double waitMinutes(double load, int capacityPerMinute) {
        if (capacityPerMinute <= 0 || load <= 0) return 0;
        if (load >= 1) return MAX_WAIT_MINUTES;
        return Math.min(MAX_WAIT_MINUTES, load / (capacityPerMinute * (1 - load)));
    }

    /** Rising when the last 15 minutes saw over 10 % more arrivals than the 15 before, falling when 10 % fewer. */
    public static String trend(long last, long previous) {
        if (last > previous * 1.1) return "rising";
        if (last < previous * 0.9) return "falling";
        return "steady";
    }

    /** Attended ÷ active participants, in percent with two decimals. */
    public static double ratePercent(long attended, long active) {
        if (active <= 0) return 0;
        return Math.round(attended * 10_000.0 / active) / 100.0;
    }

    public static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
