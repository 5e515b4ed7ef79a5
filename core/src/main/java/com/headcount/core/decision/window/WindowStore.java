package com.headcount.core.decision.window;

import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link BlockWindow} needs of a store: strongly consistent reads of block items and single-item writes, each
 * atomic under the condition {@link WindowModel} states for it. A store translates; it decides nothing.
 */
public interface WindowStore {

    /** The items that exist among these, read at once. */
    Map<BlockId, BlockItem> readAll(Collection<BlockId> ids);

    BlockItem read(BlockId id);

    /**
     * Writes {@code slot} into the scan's bucket of the item (and its expiry) if {@link WindowModel#claimAllowed}
     * holds at {@code now}, creating the item if absent.
     *
     * @return empty when written; otherwise the item as it was when the condition failed
     */
    Optional<BlockItem> claim(BlockId id, Scan scan, Slot slot, long expiresAt, Instant now);

    /** Replaces an expired item whole by one slot, if its expiry is still the one seen. */
    boolean replaceExpired(BlockId id, long bucket, Slot slot, long expiresAt, long seenExpiresAt);

    /** Removes the bucket's slot if {@link WindowModel#removable} holds; does nothing otherwise. */
    void remove(BlockId id, long bucket, Slot expected, boolean checkStamp);
}
