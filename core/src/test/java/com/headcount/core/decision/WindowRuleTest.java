package com.headcount.core.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WindowRuleTest {

    @Test
    void aLanesEdgeBucketsMirrorIntoTheNeighbourAndItsInnerBucketsDoNot() {
        int offset = WindowRule.offsetOf("demo#p-1#north#entry");
        Instant edge = WindowRule.nextBlockEdge(Instant.parse("2026-11-26T12:00:00Z"), offset);
        long first = WindowRule.bucketOf(edge);
        long block = WindowRule.blockOf(first, offset);
        assertEquals(block - 1, WindowRule.blockOf(first - 1, offset), "the edge is where two blocks meet");
        assertEquals(OptionalLong.of(block - 1), WindowRule.mirrorBlockOf(first, offset));
        assertEquals(OptionalLong.of(block), WindowRule.mirrorBlockOf(first - 1, offset));
        for (long b = first + 1; b < first + WindowRule.BUCKETS_PER_BLOCK - 1; b++) {
            assertTrue(WindowRule.mirrorBlockOf(b, offset).isEmpty(), "inner bucket " + (b - first));
        }
    }

    @Test
    void atAnyMomentAboutOneLaneInFiveIsAtAnEdge() {
        long bucket = WindowRule.bucketOf(Instant.parse("2026-11-26T12:00:00Z"));
        int atEdge = 0;
        for (int p = 0; p < 10_000; p++) {
            if (WindowRule.mirrorBlockOf(bucket, WindowRule.offsetOf("demo#p-" + p + "#north#entry")).isPresent()) atEdge++;
        }
        assertTrue(atEdge > 1_600 && atEdge < 2_400, "spread, not all lanes at once: " + atEdge);
    }
}
