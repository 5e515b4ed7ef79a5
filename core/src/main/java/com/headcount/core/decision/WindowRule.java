package com.headcount.core.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The arithmetic of the five-minute window, shared by every {@link DedupWindow} store.
 *
 * <p>Time is cut into buckets as wide as the window. Two accepted scans are always more than a window apart,
 * so a bucket holds at most one of them, and a scan in bucket b can only collide with the accepted scans
 * of buckets b-1, b and b+1. That turns "nothing accepted within ±5 min" into a check of three named
 * places, which a single conditional write can make.
 *
 * <p>Buckets are grouped in blocks of {@value #BUCKETS_PER_BLOCK} (50 minutes), one stored item per block, so an item
 * holds at most that many accepted scans however long the event runs. A scan in the first or last bucket of a block
 * can collide with the last or first bucket of the neighbouring block: such an edge scan is also written, as a
 * mirror, into the neighbour's item, so that every scan is still decided by one item, its own block's.
 *
 * <p>Each lane (participant, gate, direction) has its blocks shifted by its own offset of whole buckets. Scans made
 * at the same moment share a bucket; with one grid for all lanes every accepted scan of a 10-minute stretch in
 * 50 would need its mirror, doubling the writes of a rush that falls there. Shifted grids spread the edges evenly:
 * at any moment one lane in five is at an edge.
 */
public final class WindowRule {

    public static final Duration WINDOW = Duration.ofMinutes(5);
    public static final long WINDOW_MILLIS = WINDOW.toMillis();
    public static final int BUCKETS_PER_BLOCK = 10;

    private WindowRule() {}

    public static long bucketOf(Instant scannedAt) {
        return Math.floorDiv(scannedAt.toEpochMilli(), WINDOW_MILLIS);
    }

    /** A lane's shift of its block grid, in buckets: the same for every store and every instance. */
    public static int offsetOf(String lane) {
        return Math.floorMod(lane.hashCode(), BUCKETS_PER_BLOCK);
    }

    public static long blockOf(long bucket, int offset) {
        return Math.floorDiv(bucket + offset, BUCKETS_PER_BLOCK);
    }

    /** The neighbouring block whose item must also hold a scan in this bucket: set for a block's first and last buckets. */
    public static OptionalLong mirrorBlockOf(long bucket, int offset) {
        long position = Math.floorMod(bucket + offset, BUCKETS_PER_BLOCK);
        if (position == 0) return OptionalLong.of(blockOf(bucket, offset) - 1);
        if (position == BUCKETS_PER_BLOCK - 1) return OptionalLong.of(blockOf(bucket, offset) + 1);
        return OptionalLong.empty();
    }

    /** The first moment of the lane's block that follows {@code at}: where two of its blocks meet. */
    public static Instant nextBlockEdge(Instant at, int offset) {
        long block = blockOf(bucketOf(at), offset) + 1;
        return Instant.ofEpochMilli((block * BUCKETS_PER_BLOCK - offset) * WINDOW_MILLIS);
    }

    /** |Δt| ≤ 300 000 ms, in either direction. */
    public static boolean collide(Instant a, Instant b) {
        return Math.abs(a.toEpochMilli() - b.toEpochMilli()) <= WINDOW_MILLIS;
    }

    /**
     * Which of two colliding claims keeps the window when both were made at once: the earlier scan, the smaller id
     * on a tie. Every store breaks ties the same way, so two racing deliveries agree on one winner.
     */
    public static boolean precedes(String scanId, Instant at, String otherId, Instant otherAt) {
        int byTime = at.compareTo(otherAt);
        return byTime != 0 ? byTime < 0 : scanId.compareTo(otherId) < 0;
    }
}
