package com.headcount.core.decision;

import java.time.Duration;
import java.time.Instant;

/**
 * The arithmetic of the five-minute window, shared by every {@link DedupWindow} store.
 *
 * <p>Time is cut into buckets as wide as the window. Two accepted scans are always more than a window apart,
 * so a bucket holds at most one of them, and a scan in bucket b can only collide with the accepted scans
 * of buckets b-1, b and b+1. That turns "nothing accepted within ±5 min" into a check of three named
 * places, which a single conditional write can make.
 */
public final class WindowRule {

    public static final Duration WINDOW = Duration.ofMinutes(5);
    public static final long WINDOW_MILLIS = WINDOW.toMillis();

    private WindowRule() {}

    public static long bucketOf(Instant scannedAt) {
        return Math.floorDiv(scannedAt.toEpochMilli(), WINDOW_MILLIS);
    }

    /** |Δt| ≤ 300 000 ms, in either direction. */
    public static boolean collide(Instant a, Instant b) {
        return Math.abs(a.toEpochMilli() - b.toEpochMilli()) <= WINDOW_MILLIS;
    }
}
