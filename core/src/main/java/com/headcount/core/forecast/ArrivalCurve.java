package com.headcount.core.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Arrivals (participants' first accepted entries) counted in equal buckets since doors opened:
 * {@code counts.get(i)} arrivals in [doorsOpen + i·bucket, doorsOpen + (i+1)·bucket).
 * The last bucket may still be filling.
 */
public record ArrivalCurve(Duration bucket, List<Integer> counts) {

    // Every time zone offset in use is a multiple of 15 minutes, so buckets that divide 15 minutes never
    // straddle a local hour boundary and each bucket lands in exactly one local hour.
    private static final Duration ALIGNMENT = Duration.ofMinutes(15);

    public ArrivalCurve {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isNegative() || bucket.isZero() || ALIGNMENT.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException("bucket must divide 15 minutes (1 or 5 minutes, say), was " + bucket);
        }
        counts = List.copyOf(counts);
        for (Integer c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("arrival counts cannot be negative");
            }
        }
    }

    public static ArrivalCurve perMinute(List<Integer> counts) {
        return new ArrivalCurve(Duration.ofMinutes(1), counts);
    }

    public static ArrivalCurve perFiveMinutes(List<Integer> counts) {
        return new ArrivalCurve(Duration.ofMinutes(5), counts);
    }

    public static ArrivalCurve none() {
        return perMinute(List.of());
    }

    Instant bucketStart(Instant doorsOpen, int i) {
        return doorsOpen.plus(bucket.multipliedBy(i));
    }
}
