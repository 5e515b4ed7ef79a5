package com.headcount.bench.load;

import java.util.List;

/** Nearest-rank percentiles over every sample of a run (no sampling window: a benchmark keeps them all). */
public record Percentiles(int count, long p50, long p95, long p99, long max) {

    public static Percentiles of(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    String millis() {
        return count == 0 ? "n/a" : String.format("p50 %s, p95 %s, p99 %s, max %s (%d scans)",
                ms(p50), ms(p95), ms(p99), ms(max), count);
    }

    static String ms(long nanos) {
        return String.format("%d ms", Math.round(nanos / 1e6));
    }
}
