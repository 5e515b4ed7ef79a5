package com.headcount.core.decision.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.FailureClassifier.TransientFailure;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.testing.InMemoryStores;
import com.headcount.testing.MutableClock;
import com.headcount.testing.Scans;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window protocol's block-edge paths in memory: mirrors, pending and abandoned edge claims, another body. */
class BlockWindowTest {

    static final Instant DOORS = Instant.parse("2026-11-26T08:00:00Z");
    static final Instant SCANS_END = DOORS.plus(Duration.ofHours(12));

    final MutableClock wall = new MutableClock(DOORS.plus(Duration.ofHours(2)));
    final List<Integer> pauses = new ArrayList<>();
    final InMemoryStores.Window window = new InMemoryStores.Window(wall, pauses::add);

    static Scan scan(String id, Instant at) {
        return Scans.scan(id, "p-1", "north", at, Direction.ENTRY);
    }

    /** Half a minute into the last bucket of one of the lane's blocks: an edge scan, mirrored into the next block. */
    static Instant lastBucketOfABlock() {
        int offset = WindowRule.offsetOf(WindowModel.lane(scan("probe", DOORS)));
        return WindowRule.nextBlockEdge(DOORS, offset).minus(WindowRule.WINDOW).plusSeconds(30);
    }

    DedupWindow.Batch open(Scan... scans) {
        return window.open(List.of(scans), wall.instant());
    }

    @Test
    void anEdgeClaimIsMirroredIntoTheNextBlockAndAScanThereCollidesWithIt() {
        Scan edge = scan("e-1", lastBucketOfABlock());
        assertEquals(new DedupWindow.Claimed(), open(edge).claim(edge, SCANS_END));
        BlockId next = new BlockId(WindowModel.lane(edge), WindowModel.ownBlock(edge).block() + 1);
        assertTrue(window.blocks.items.get(next).slot(WindowModel.bucketOf(edge)).names(edge), "the mirror");

        Scan later = scan("e-2", edge.scannedAt().plus(Duration.ofMinutes(4))); // in the next block
        assertEquals(new DedupWindow.HeldBy("e-1", edge.scannedAt()), open(later).holder(later));
        assertEquals(List.of(), pauses, "a mirror stands at once: nothing to wait for");
    }

    @Test
    void aPendingEdgeClaimIsWaitedForThenTheDecisionFailsTransientlyWithoutCallingItsScanTheHolder() {
        Scan edge = scan("e-1", lastBucketOfABlock());
        // a delivery claimed its own block and is still writing its mirror
        window.blocks.claim(WindowModel.ownBlock(edge), edge, WindowModel.slotFor(edge, wall.instant()), Long.MAX_VALUE / 2,
                wall.instant());
        Scan colliding = scan("e-2", edge.scannedAt().plusSeconds(60));
        assertThrows(TransientFailure.class, () -> open(colliding).holder(colliding));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), pauses, "eight backed-off waits for the mirror");
    }

    @Test
    void anEdgeClaimPendingLongerThanAnyFunctionRunsIsRemovedAndTheScanClaims() {
        Scan edge = scan("e-1", lastBucketOfABlock());
        window.blocks.claim(WindowModel.ownBlock(edge), edge, WindowModel.slotFor(edge, wall.instant()), Long.MAX_VALUE / 2,
                wall.instant());
        wall.advance(WindowModel.ABANDONED_AFTER.plusSeconds(1)); // its delivery died
        Scan colliding = scan("e-2", edge.scannedAt().plusSeconds(60));
        var batch = open(colliding);
        assertNull(batch.holder(colliding), "the abandoned claim is gone");
        assertEquals(new DedupWindow.Claimed(), batch.claim(colliding, SCANS_END));
    }

    @Test
    void anotherBodyOfAClaimedIdInTheSameBucketIsRefusedEvenWhenItsBatchReadTheWindowBeforeTheClaim() {
        Instant at = lastBucketOfABlock().minus(Duration.ofMinutes(20));
        Scan first = scan("same-id", at);
        Scan moved = scan("same-id", at.plusSeconds(10)); // the same bucket
        var movedBatch = open(moved); // read while the window was still empty
        assertEquals(new DedupWindow.Claimed(), open(first).claim(first, SCANS_END));

        assertEquals(new DedupWindow.OtherBody(at), movedBatch.claim(moved, SCANS_END));
        assertEquals(List.of(first), window.claimed(), "the first body's claim was not overwritten");
    }
}
