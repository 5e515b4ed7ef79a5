package com.headcount.core.decision.window;

import com.headcount.core.decision.DedupWindow.HeldBy;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Scan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The window's protocol as pure decisions over one block item (docs/architecture.md, "The window"): given what an
 * item holds and a scan, whether to claim, which claim it is the duplicate of, whether an edge claim is still pending
 * its mirror (wait), was abandoned (remove it) or stands, how a mirror meets a claim of the neighbouring block, and
 * what a release removes. No store and no clock: every store ({@code DynamoDedupWindow}, the in-memory one of the
 * tests) writes what these decide, under the conditions stated here ({@link #claimAllowed}, {@link #removable}).
 *
 * <p>The protocol, in short. A scan claims the bucket of its time in its own block's item, on the condition that the
 * bucket is free (or already its own claim) and the buckets beside it hold nothing within five minutes. An edge scan
 * (a block's first or last bucket) then writes the same slot, as a mirror, into the neighbouring block's item under
 * the same condition; until the mirror is there its claim is pending, and a scan that collides with it looks at the
 * neighbour first. Two edge claims of neighbouring blocks meet at the mirror: the earlier scan
 * ({@link WindowRule#precedes}) keeps the window and the later gives its claim back. A pending claim older than any
 * function runs was abandoned by a delivery that died, and is removed (only that very claim: its stamp is checked).
 * A scan whose id is claimed in its item at another time is another body sent under the same id: it is refused, and
 * the first body's claim is left alone.
 */
public final class WindowModel {

    /** Longer than any function runs (ingest 60 s, API 29 s): a claim pending this long has no one to finish it. */
    public static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private WindowModel() {}

    /** The scan's lane: event, participant, gate, direction. */
    public static String lane(Scan scan) {
        return scan.eventId() + "#" + scan.participantId() + "#" + scan.gateId() + "#" + scan.direction().wireName();
    }

    public static long bucketOf(Scan scan) {
        return WindowRule.bucketOf(scan.scannedAt());
    }

    /** The item of the scan's own block. */
    public static BlockId ownBlock(Scan scan) {
        String lane = lane(scan);
        return new BlockId(lane, WindowRule.blockOf(bucketOf(scan), WindowRule.offsetOf(lane)));
    }

    /** The neighbouring item that must hold the scan's mirror: set for a scan in its block's first or last bucket. */
    public static Optional<BlockId> mirrorBlock(Scan scan) {
        String lane = lane(scan);
        OptionalLong block = WindowRule.mirrorBlockOf(bucketOf(scan), WindowRule.offsetOf(lane));
        return block.isPresent() ? Optional.of(new BlockId(lane, block.getAsLong())) : Optional.empty();
    }

    /** The slot a claim (and its mirror) writes; an edge claim is stamped with when it was made. */
    public static Slot slotFor(Scan scan, Instant wallNow) {
        return new Slot(scan.scanId(), scan.scannedAt(), mirrorBlock(scan).isPresent() ? wallNow.toEpochMilli() : null);
    }

    /**
     * Until when an item written by this claim is kept, in epoch seconds: the event's last scan time plus the
     * retention, whenever the claim is made; and a claim made later than that (a backlog uploaded after the event)
     * is kept the retention too.
     */
    public static long expiresAt(Instant scansEnd, Instant now, Duration retention) {
        return Math.max(scansEnd.plus(retention).getEpochSecond(), now.plus(retention).getEpochSecond());
    }

    // ---- the own item: claim, duplicate, pending, another body

    /** What the scan's own item, as seen, says of it. */
    public sealed interface Look permits Free, Duplicate, Pending, OtherBody {}

    /** Nothing within five minutes: the scan may claim. */
    public record Free() implements Look {}

    /** A claim within five minutes stands: the scan is its duplicate. */
    public record Duplicate(HeldBy holder) implements Look {}

    /**
     * The colliding claim is an edge claim of this very block: it stands only once its mirror is in {@code mirror}
     * (it may yet lose at the block edge), so that item decides ({@link #settle}).
     */
    public record Pending(long bucket, Slot holder, BlockId mirror) implements Look {}

    /** The scan's id is claimed here at another time: another body under the same id, refused. */
    public record OtherBody(Slot claim) implements Look {}

    /** Decides on the scan's own item as seen at {@code now} (an expired item is seen as empty). */
    public static Look lookOwn(Scan scan, BlockItem own, Instant now) {
        BlockItem item = own.live(now);
        for (Slot slot : item.slots().values()) {
            if (slot.scanId().equals(scan.scanId()) && !slot.at().equals(scan.scannedAt())) return new OtherBody(slot);
        }
        Slot held = firstColliding(scan, item);
        if (held == null) return new Free();
        String lane = lane(scan);
        int offset = WindowRule.offsetOf(lane);
        long bucket = WindowRule.bucketOf(held.at());
        OptionalLong mirror = WindowRule.mirrorBlockOf(bucket, offset);
        if (mirror.isEmpty() || WindowRule.blockOf(bucket, offset) != item.id().block()) {
            return new Duplicate(new HeldBy(held.scanId(), held.at())); // an inner claim, or a neighbour's mirror
        }
        return new Pending(bucket, held, new BlockId(lane, mirror.getAsLong()));
    }

    /** What the neighbour's item says of a pending edge claim. */
    public sealed interface Settled permits Stands, Abandoned, Wait {}

    /** Its mirror is written: the claim stands. */
    public record Stands(HeldBy holder) implements Settled {}

    /** Pending longer than any function runs: remove it, on condition that it is still that very claim. */
    public record Abandoned(long bucket, Slot claim) implements Settled {}

    /** Still being settled by its delivery: look again after a pause. */
    public record Wait() implements Settled {}

    public static Settled settle(Pending pending, BlockItem neighbour, Instant wallNow) {
        Slot mirror = neighbour.slot(pending.bucket());
        Slot claim = pending.holder();
        if (mirror != null && mirror.names(claim.scanId(), claim.at())) {
            return new Stands(new HeldBy(claim.scanId(), claim.at()));
        }
        if (claim.claimedAt() != null && claim.claimedAt() < wallNow.minus(ABANDONED_AFTER).toEpochMilli()) {
            return new Abandoned(pending.bucket(), claim);
        }
        return new Wait();
    }

    // ---- the neighbour's item: the mirror

    /** What the neighbour's item says of an edge claim's mirror. */
    public sealed interface MirrorLook permits MirrorFree, YieldTo, Displace {}

    /** Nothing within five minutes: write the mirror. */
    public record MirrorFree() implements MirrorLook {}

    /**
     * An earlier scan of the neighbouring block holds the window: this scan gives its own claim back and is decided
     * again (as that scan's duplicate once its mirror is in).
     */
    public record YieldTo(HeldBy winner) implements MirrorLook {}

    /** A later scan's edge claim, still pending (this scan's claim kept its mirror out): remove it, this one wins. */
    public record Displace(long bucket, Slot later) implements MirrorLook {}

    /**
     * Decides on the neighbour's item. Another body of this very id colliding there is met the same way as another
     * scan (the earlier keeps the window): two bodies of one id claiming across a block edge must not keep each
     * other's mirror out for ever. The loser of such a meeting is that other body's, not a duplicate.
     */
    public static MirrorLook lookMirror(Scan scan, BlockItem neighbour, Instant now) {
        Slot other = firstColliding(scan, neighbour.live(now), true);
        if (other == null) return new MirrorFree();
        if (WindowRule.precedes(other.scanId(), other.at(), scan.scanId(), scan.scannedAt())) {
            return new YieldTo(new HeldBy(other.scanId(), other.at()));
        }
        return new Displace(WindowRule.bucketOf(other.at()), other);
    }

    // ---- release

    /** One slot to remove, on condition that it still names that scan (and, for an abandoned claim, that stamp). */
    public record Removal(BlockId item, long bucket, Slot slot) {}

    /**
     * What giving a claim back removes, in order: the mirror first, so a crash in between leaves the own slot, which
     * the scan's next delivery finds ({@code claimedBy}) and releases.
     */
    public static List<Removal> release(Scan scan) {
        List<Removal> removals = new ArrayList<>(2);
        Slot slot = new Slot(scan.scanId(), scan.scannedAt(), null);
        mirrorBlock(scan).ifPresent(m -> removals.add(new Removal(m, bucketOf(scan), slot)));
        removals.add(new Removal(ownBlock(scan), bucketOf(scan), slot));
        return removals;
    }

    // ---- the conditions every store applies atomically

    /**
     * The claim's (and the mirror's) condition, as one store write checks it: the item is absent, or it is live and
     * the scan's bucket is free or holds exactly this claim, and the buckets beside it hold nothing within five
     * minutes. A slot of this id at another time fails it too: a claim never overwrites another body's.
     */
    public static boolean claimAllowed(BlockItem current, Scan scan, Instant now) {
        if (!current.exists()) return true;
        if (current.expired(now)) return false;
        long bucket = bucketOf(scan);
        long at = scan.scannedAt().toEpochMilli();
        Slot self = current.slot(bucket);
        Slot before = current.slot(bucket - 1);
        Slot after = current.slot(bucket + 1);
        return (self == null || self.names(scan))
                && (before == null || before.at().toEpochMilli() < at - WindowRule.WINDOW_MILLIS)
                && (after == null || after.at().toEpochMilli() > at + WindowRule.WINDOW_MILLIS);
    }

    /** The removal's condition: the bucket still names that scan, and with {@code stamp} that very claim. */
    public static boolean removable(BlockItem current, long bucket, Slot expected, boolean stamp) {
        Slot slot = current.slot(bucket);
        return slot != null && slot.names(expected.scanId(), expected.at())
                && (!stamp || java.util.Objects.equals(slot.claimedAt(), expected.claimedAt()));
    }

    /** The earliest slot of another scan id in the item within five minutes of the scan (its bucket or beside it). */
    static Slot firstColliding(Scan scan, BlockItem item) {
        return firstColliding(scan, item, false);
    }

    /** With {@code sameId}, a slot of this id at another time counts too. */
    static Slot firstColliding(Scan scan, BlockItem item, boolean sameId) {
        long bucket = bucketOf(scan);
        Slot first = null;
        for (long b = bucket - 1; b <= bucket + 1; b++) {
            Slot slot = item.slot(b);
            boolean other = sameId ? (slot != null && !slot.names(scan)) : slot != null && !slot.scanId().equals(scan.scanId());
            if (slot != null && other && WindowRule.collide(slot.at(), scan.scannedAt())
                    && (first == null || slot.at().isBefore(first.at()))) {
                first = slot;
            }
        }
        return first;
    }
}
