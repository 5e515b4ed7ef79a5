package com.headcount.core.decision.window;

import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.FailureClassifier.TransientFailure;
import com.headcount.core.scan.Scan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rule 6 over any {@link WindowStore}: runs {@link WindowModel}'s decisions against the items a batch reads, and
 * writes what they decide. The same code runs on DynamoDB, in the unit tests' memory and in the property tests.
 *
 * <p>A batch first reads its scans' own items at once: a scan the read already shows within five minutes of another
 * standing claim is a duplicate with no write at all. A claim is one conditional write on the scan's own item, an
 * edge scan's mirror a second one on the neighbour's. The batch keeps its copy of the items current with its own
 * writes and with what a failed condition returns; each lane's items are used by one thread at a time.
 */
public final class BlockWindow implements DedupWindow {

    /** Waits between two looks at a pending edge claim (the argument counts the waits so far). */
    public interface Pause {
        void pause(int wait);

        /** Backed off from 10 ms to 400 ms: about 1.4 s in all, well under a function's time. */
        Pause SLEEP = wait -> {
            try {
                Thread.sleep(Math.min(400, 10L << wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientFailure("interrupted while waiting for a claim at a block edge", e);
            }
        };
    }

    private static final int MAX_ATTEMPTS = 4;
    /** How long a decision waits for a pending edge claim of its block to be settled, in pauses. */
    private static final int MAX_WAITS = 8;
    /** Marks a mirror that lost to a claim which was then given back itself: the whole claim is tried again. */
    private static final HeldBy LOST_TO_A_VANISHED_CLAIM = new HeldBy("", Instant.EPOCH);

    private final WindowStore store;
    private final Duration retention;
    private final Clock wall;
    private final Pause pause;

    /**
     * @param retention how long after the event's last scan time its windows are kept, for late uploads
     * @param wall      the time claims are stamped with and abandoned ones judged by (not event time)
     */
    public BlockWindow(WindowStore store, Duration retention, Clock wall, Pause pause) {
        this.store = store;
        this.retention = retention;
        this.wall = wall;
        this.pause = pause;
    }

    @Override
    public Batch open(Collection<Scan> scans, Instant now) {
        Set<BlockId> ids = new LinkedHashSet<>();
        for (Scan scan : scans) ids.add(WindowModel.ownBlock(scan));
        return new ItemsBatch(ids.isEmpty() ? Map.of() : store.readAll(ids), now);
    }

    private final class ItemsBatch implements Batch {

        private final Map<BlockId, BlockItem> items;
        private final Instant now;

        ItemsBatch(Map<BlockId, BlockItem> read, Instant now) {
            this.items = new ConcurrentHashMap<>(read);
            this.now = now;
        }

        @Override
        public Claim holder(Scan scan) {
            return confirmed(WindowModel.ownBlock(scan), scan);
        }

        /**
         * The own item's verdict on the scan once it is sure: a pending edge claim is waited for (its mirror), or
         * removed when abandoned, so a duplicate never names a scan that ends otherwise. Null when free.
         */
        private Claim confirmed(BlockId own, Scan scan) {
            for (int wait = 0; ; wait++) {
                switch (WindowModel.lookOwn(scan, item(own), now)) {
                    case WindowModel.Free free -> {
                        return null;
                    }
                    case WindowModel.Duplicate d -> {
                        return d.holder();
                    }
                    case WindowModel.OtherBody o -> {
                        return new OtherBody(o.claim().at());
                    }
                    case WindowModel.Pending p -> {
                        switch (WindowModel.settle(p, store.read(p.mirror()), wall.instant())) {
                            case WindowModel.Stands s -> {
                                return s.holder();
                            }
                            case WindowModel.Abandoned a -> store.remove(own, a.bucket(), a.claim(), true);
                            case WindowModel.Wait w -> {
                                if (wait == MAX_WAITS) {
                                    throw new TransientFailure("claim " + p.holder().scanId() + " in " + own
                                            + " is still pending at its block edge");
                                }
                                pause.pause(wait);
                            }
                        }
                        items.put(own, store.read(own));
                    }
                }
            }
        }

        @Override
        public boolean claimedBy(Scan scan) {
            Slot slot = item(WindowModel.ownBlock(scan)).live(now).slot(WindowModel.bucketOf(scan));
            return slot != null && slot.names(scan);
        }

        @Override
        public Claim claim(Scan scan, Instant scansEnd) {
            long expiresAt = WindowModel.expiresAt(scansEnd, now, retention);
            BlockId own = WindowModel.ownBlock(scan);
            Optional<BlockId> mirror = WindowModel.mirrorBlock(scan);
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Claim held = claimOwn(own, scan, expiresAt);
                if (held != null) return held;
                if (mirror.isEmpty()) return new Claimed();
                Claim settled = writeMirror(scan, own, mirror.get(), expiresAt);
                if (settled == null) return new Claimed();
                if (settled != LOST_TO_A_VANISHED_CLAIM) return settled;
                // the earlier claim we gave way to was itself given back: claim again from the start
            }
            throw new TransientFailure("the window across the block edge of " + own + " kept changing");
        }

        /** Writes the scan's claim into its own item. Null when written; else what keeps it out. */
        private Claim claimOwn(BlockId own, Scan scan, long expiresAt) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                if (renewedExpired(own, scan, expiresAt)) return null;
                Claim held = confirmed(own, scan);
                if (held != null) return held;
                if (written(own, scan, expiresAt)) return null;
            }
            throw new TransientFailure("window " + own + " kept changing during " + MAX_ATTEMPTS + " claims");
        }

        /**
         * Writes an edge claim's mirror into the neighbouring block. Null when written (the claim stands). Losing to
         * an earlier scan's claim there, this scan gives its own claim back and is decided again by its own item.
         */
        private Claim writeMirror(Scan scan, BlockId own, BlockId mirror, long expiresAt) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                switch (mirrorIn(mirror, scan, expiresAt)) {
                    case null -> {
                        return null;
                    }
                    case WindowModel.YieldTo y -> {
                        remove(own, WindowModel.bucketOf(scan), new Slot(scan.scanId(), scan.scannedAt(), null));
                        items.put(own, store.read(own));
                        // another body of this id came first: it keeps the id, this one is refused
                        if (y.winner().scanId().equals(scan.scanId())) return new OtherBody(y.winner().scannedAt());
                        Claim winner = confirmed(own, scan);
                        return winner != null ? winner : LOST_TO_A_VANISHED_CLAIM;
                    }
                    case WindowModel.Displace d -> {
                        store.remove(mirror, d.bucket(), d.later(), false);
                        items.remove(mirror); // the next write's condition tells what is there now
                    }
                    case WindowModel.MirrorFree free -> throw new IllegalStateException("written or not: never free");
                }
            }
            throw new TransientFailure("the mirror of " + scan.scanId() + " in " + mirror + " kept changing");
        }

        /** Writes the mirror while nothing collides: null when written, else the colliding claim's verdict. */
        private WindowModel.MirrorLook mirrorIn(BlockId mirror, Scan scan, long expiresAt) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                if (renewedExpired(mirror, scan, expiresAt)) return null;
                WindowModel.MirrorLook look = WindowModel.lookMirror(scan, item(mirror), now);
                if (!(look instanceof WindowModel.MirrorFree)) return look;
                if (written(mirror, scan, expiresAt)) return null;
            }
            throw new TransientFailure("window " + mirror + " kept changing during " + MAX_ATTEMPTS + " claims");
        }

        /** One conditional write of the scan's slot; on a failed condition the batch takes the item as it was. */
        private boolean written(BlockId id, Scan scan, long expiresAt) {
            Slot slot = WindowModel.slotFor(scan, wall.instant());
            Optional<BlockItem> refused = store.claim(id, scan, slot, expiresAt, now);
            if (refused.isEmpty()) {
                items.put(id, item(id).with(WindowModel.bucketOf(scan), slot, expiresAt));
                return true;
            }
            items.put(id, refused.get()); // changed since read (another instance's claim or release): look again
            return false;
        }

        /** An item seen expired is replaced whole, guarded by the expiry it was seen with. */
        private boolean renewedExpired(BlockId id, Scan scan, long expiresAt) {
            BlockItem seen = item(id);
            if (!seen.expired(now)) return false;
            Slot slot = WindowModel.slotFor(scan, wall.instant());
            if (store.replaceExpired(id, WindowModel.bucketOf(scan), slot, expiresAt, seen.expiresAt())) {
                items.put(id, seen.replacedBy(WindowModel.bucketOf(scan), slot, expiresAt));
                return true;
            }
            items.put(id, store.read(id));
            return false;
        }

        @Override
        public void release(Scan scan) {
            for (WindowModel.Removal r : WindowModel.release(scan)) remove(r.item(), r.bucket(), r.slot());
        }

        /**
         * Gives a slot back, and drops it from the batch's copy too, so no later scan of the batch is called the
         * duplicate of a scan that does not stand. Only that scan's slot: another's in the same bucket stays.
         */
        private void remove(BlockId id, long bucket, Slot slot) {
            store.remove(id, bucket, slot, false);
            BlockItem item = items.get(id);
            if (item != null && item.slot(bucket) != null && item.slot(bucket).names(slot.scanId(), slot.at())) {
                items.put(id, item.without(bucket));
            }
        }

        private BlockItem item(BlockId id) {
            BlockItem item = items.get(id);
            return item == null ? BlockItem.absent(id) : item;
        }
    }
}
