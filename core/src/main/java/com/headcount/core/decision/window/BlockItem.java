package com.headcount.core.decision.window;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One block item as a store holds it: the slot of each bucket that has one (the block's own buckets are claims, the
 * buckets beside it are mirrors of the neighbours' edge claims) and when it expires, in epoch seconds. An item that
 * does not exist is {@link #absent}.
 */
public record BlockItem(BlockId id, Map<Long, Slot> slots, long expiresAt, boolean exists) {

    public BlockItem {
        slots = Map.copyOf(slots);
    }

    public static BlockItem absent(BlockId id) {
        return new BlockItem(id, Map.of(), 0, false);
    }

    public Slot slot(long bucket) {
        return slots.get(bucket);
    }

    /** Past its expiry at {@code now}: the table's TTL deletes lazily, so the protocol treats it as absent. */
    public boolean expired(Instant now) {
        return exists && expiresAt < now.getEpochSecond();
    }

    /** What a decision at {@code now} sees: nothing of an expired item. */
    public BlockItem live(Instant now) {
        return expired(now) ? absent(id) : this;
    }

    /** This item after a claim or mirror wrote {@code slot} into {@code bucket}. */
    public BlockItem with(long bucket, Slot slot, long newExpiresAt) {
        Map<Long, Slot> next = new HashMap<>(slots);
        next.put(bucket, slot);
        return new BlockItem(id, next, newExpiresAt, true);
    }

    /** This item replaced whole by one slot (an expired item renewed). */
    public BlockItem replacedBy(long bucket, Slot slot, long newExpiresAt) {
        return new BlockItem(id, Map.of(bucket, slot), newExpiresAt, true);
    }

    public BlockItem without(long bucket) {
        Map<Long, Slot> next = new HashMap<>(slots);
        next.remove(bucket);
        return new BlockItem(id, next, expiresAt, exists);
    }
}
