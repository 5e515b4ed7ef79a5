package com.headcount.device;

import java.time.Duration;
import java.util.Arrays;

/**
 * Scan-to-decision times: how long a participant waits at the gate for the light to turn green.
 * Percentiles are over the most recent samples only, so a long-running gate shows today's latency, not its history.
 */
public final class LatencyStats {

    private final long[] recentNanos;
    private long count;

    public LatencyStats(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.recentNanos = new long[window];
    }

    public LatencyStats() {
        this(10_000);
    }

    public synchronized void record(Duration latency) {
        recentNanos[(int) (count % recentNanos.length)] = latency.toNanos();
        count++;
    }

    public synchronized long count() {
        return count;
    }

    /** Zero when nothing has been recorded yet. */
    public Duration median() {
        return percentile(50);
    }

    public Duration p95() {
        return percentile(95);
    }

    /** Nearest-rank percentile over the recent window. */
    public synchronized Duration percentile(int percent) {
        int size = (int) Math.min(count, recentNanos.length);
        if (size == 0) {
            return Duration.ZERO;
        }
        long[] sorted = Arrays.copyOf(recentNanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * size);
        return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
    }

    @Override
    public String toString() {
        return "count=" + count() + " median=" + median().toMillis() + "ms p95=" + p95().toMillis() + "ms";
    }
}
