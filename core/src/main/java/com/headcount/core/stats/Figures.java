package com.headcount.core.stats;

import com.headcount.core.decision.DecisionMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The formulas of docs/STATISTICS.md ("The figures"), in one place so the writer (alerts) and the reader (snapshot) agree.
 * Windows are whole clock minutes, the current one included: "the last 5 minutes" at 10:07:30 is 10:03:00–10:07:59.
 */
public final class Figures {

    /** Per-minute counters (epoch minute of the scan time) kept in the items; older ones are pruned. */
    public static final String MINUTE = "m.";
    /**
     * Per-5-minute arrival counters since doors open, kept for the whole event (the forecast's arrival curve): the
     * participants who became attended, at the scan time of the entry that made them so (re-entries not counted).
     */
    public static final String CURVE = "c.";
    public static final int LOAD_MINUTES = 5;
    public static final int TREND_MINUTES = 15;
    /** Above this many minutes the M/M/1 wait says little more than "very long". */
    public static final double MAX_WAIT_MINUTES = 60;
    /** Counter (overall and gate): the latest scan time counted, epoch millis. */
    public static final String LAST_AT = "lastAt";
    /**
     * How long the recent windows wait for scans before sliding with the wall clock: a stream this far behind still
     * shows the load the gates had; an event this long silent is taken as quiet.
     */
    public static final Duration LAG_ALLOWANCE = Duration.ofMinutes(5);
    /** A scan received more than this after it was made is a late upload (an offline gate's backlog), not live. */
    public static final Duration LATE_AFTER = DecisionMetrics.LATE_AFTER;
    /** Minute counters are kept as far back as the windows can reach: windows end at most the allowance ago. */
    public static final int KEPT_MINUTES = 2 * TREND_MINUTES + (int) LAG_ALLOWANCE.toMinutes();
    public static final int LATENCY_KEPT_MINUTES = LOAD_MINUTES + (int) LAG_ALLOWANCE.toMinutes();
    /** Gate counters {@code l.<bucket>.<minute>}: live scans by decision latency bucket and scan minute. */
    public static final String LATENCY = "l.";
    /** Upper bounds of the latency buckets, ms; a last bucket holds everything slower. */
    public static final long[] LATENCY_BOUNDS_MS = {50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000,
            10_000, 20_000, 30_000, 60_000};

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

    /**
     * Where the event's recent windows (load, wait, trend, processing time) end: the latest scan time counted for the
     * event, but never before now − {@link #LAG_ALLOWANCE} nor after now. A lagging stream delivers scans minutes old;
     * read at the wall clock they would fall out of "the last 5 minutes" and hide an overload. Silence beyond the
     * allowance is silence: the windows slide on and the figures decay.
     */
    public static Instant eventNow(Aggregate overall, Instant now) {
        long last = overall.get(LAST_AT);
        if (last == 0) return now;
        Instant latest = Instant.ofEpochMilli(last);
        Instant floor = now.minus(LAG_ALLOWANCE);
        if (latest.isAfter(now)) return now;
        return latest.isBefore(floor) ? floor : latest;
    }

    public static int latencyBucket(long millis) {
        for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) if (millis <= LATENCY_BOUNDS_MS[i]) return i;
        return LATENCY_BOUNDS_MS.length;
    }

    public static String latencyCounter(long millis, long minute) {
        return LATENCY + latencyBucket(millis) + "." + minute;
    }

    /** Live scans of the gate per latency bucket over the last 5 minutes ending at {@code eventNow}. */
    public static long[] latencies(Aggregate gate, Instant eventNow) {
        long[] counts = new long[LATENCY_BOUNDS_MS.length + 1];
        long last = minute(eventNow);
        for (int b = 0; b < counts.length; b++) {
            for (long m = last - LOAD_MINUTES + 1; m <= last; m++) counts[b] += gate.get(LATENCY + b + "." + m);
        }
        return counts;
    }

    /**
     * The nearest-rank percentile (p in (0, 1]) of a latency histogram, as the upper bound of the bucket holding it:
     * an over-estimate by at most one bucket's width. The last bucket reads as its lower bound (a minute or more).
     * Null when there is no scan.
     */
    public static Long percentileMs(long[] counts, double p) {
        long n = 0;
        for (long c : counts) n += c;
        if (n == 0) return null;
        long rank = (long) Math.ceil(p * n);
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(b, LATENCY_BOUNDS_MS.length - 1)];
        }
        throw new IllegalStateException("unreachable");
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
