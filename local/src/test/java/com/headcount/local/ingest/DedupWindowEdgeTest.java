package com.headcount.local.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.headcount.adapters.dynamodb.DynamoDedupWindow;
import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.testing.Emulators;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The window's rare paths at a block edge, on dynalite, through the adapter itself: what a batch remembers of an item
 * after giving a claim back, and whose claim the removal of an abandoned one may take.
 */
@ExtendWith(Emulators.Extension.class)
class DedupWindowEdgeTest {

    static final Instant DOORS = Instant.parse("2026-11-26T08:00:00Z");

    /** A scan of the lane (participant, gate north, entry) at the given time. */
    static Scan scan(String eventId, String participant, String id, Instant at) {
        return new Scan(id, eventId, participant, "north", at, null, ScanMethod.QR_SCAN, Direction.ENTRY, null, null);
    }

    /** Half a minute into the last bucket of one of the lane's blocks: an edge scan, mirrored into the next block. */
    static Instant lastBucketOfABlock(String eventId, String participant) {
        int offset = WindowRule.offsetOf(DynamoDedupWindow.lane(scan(eventId, participant, "probe", DOORS)));
        return WindowRule.nextBlockEdge(DOORS, offset).minus(WindowRule.WINDOW).plusSeconds(30);
    }

    @Test
    void aClaimGivenBackLeavesNoMirrorInWhatTheBatchRemembersOfTheNextBlock(Emulators emulators) {
        var h = new IngestHarness(emulators);
        var window = new DynamoDedupWindow(h.dynamo, h.settings.windowsTable(), Duration.ofDays(2));
        Instant edge = lastBucketOfABlock(h.eventId, "p-a");
        Scan first = scan(h.eventId, "p-a", "a-1", edge);
        Scan next = scan(h.eventId, "p-a", "a-2", edge.plus(Duration.ofMinutes(4))); // the next block, 4 minutes on
        DedupWindow.Batch batch = window.open(List.of(first, next), Instant.now());

        assertEquals(new DedupWindow.Claimed(), batch.claim(first, edge.plus(Duration.ofHours(2))));
        batch.release(first); // its outcome could not be stored: it never stood

        assertNull(batch.holder(next), "nothing stands within five minutes of it: it is no duplicate of a scan given back");
        assertEquals(new DedupWindow.Claimed(), batch.claim(next, edge.plus(Duration.ofHours(2))));
    }

    @Test
    void removingAnAbandonedEdgeClaimNeverTakesTheFreshClaimOfItsOwnRedelivery(Emulators emulators) {
        var h = new IngestHarness(emulators);
        Instant edge = lastBucketOfABlock(h.eventId, "p-b");
        Scan abandoned = scan(h.eventId, "p-b", "b-1", edge);
        Scan later = scan(h.eventId, "p-b", "b-2", edge.plus(Duration.ofSeconds(90))); // same bucket, same block
        String own = DynamoDedupWindow.windowKey(abandoned, DynamoDedupWindow.blockOf(abandoned));
        String mirror = DynamoDedupWindow.windowKey(abandoned, DynamoDedupWindow.blockOf(abandoned) + 1);
        String bucket = "b" + WindowRule.bucketOf(edge);
        long expires = Instant.now().plus(Duration.ofDays(3)).getEpochSecond();
        // a delivery claimed b-1 three minutes ago and died before its mirror
        h.dynamo.putItem(b -> b.tableName(h.settings.windowsTable()).item(Map.of(DynamoDedupWindow.KEY, s(own),
                bucket, slot(abandoned, System.currentTimeMillis() - 180_000),
                DynamoDedupWindow.EXPIRES_AT, n(expires))));

        // b-1's redelivery claims again, mirror and all, just as another instance takes the old claim for abandoned
        AtomicBoolean redelivered = new AtomicBoolean();
        ExecutionInterceptor redeliveryInBetween = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UpdateItemRequest u && u.updateExpression().startsWith("REMOVE")
                        && own.equals(u.key().get(DynamoDedupWindow.KEY).s()) && redelivered.compareAndSet(false, true)) {
                    AttributeValue fresh = slot(abandoned, System.currentTimeMillis());
                    for (String key : List.of(own, mirror)) {
                        h.dynamo.putItem(b -> b.tableName(h.settings.windowsTable()).item(Map.of(DynamoDedupWindow.KEY,
                                s(key), bucket, fresh, DynamoDedupWindow.EXPIRES_AT, n(expires))));
                    }
                }
            }
        };
        DynamoDbClient other = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                redeliveryInBetween).dynamoDb();
        var window = new DynamoDedupWindow(other, h.settings.windowsTable(), Duration.ofDays(2));

        DedupWindow.Claim holder = window.open(List.of(later), Instant.now()).holder(later);

        assertEquals(true, redelivered.get(), "the redelivery landed between the look and the removal");
        assertEquals(new DedupWindow.HeldBy("b-1", edge), holder, "b-2 is b-1's duplicate: b-1 was claimed again and stands");
        var kept = h.dynamo.getItem(b -> b.tableName(h.settings.windowsTable()).consistentRead(true)
                .key(Map.of(DynamoDedupWindow.KEY, s(own)))).item().get(bucket);
        assertEquals("b-1", kept.m().get("id").s(), "the fresh claim is still there");
    }

    static AttributeValue slot(Scan scan, long claimedAtMillis) {
        return AttributeValue.fromM(Map.of("id", s(scan.scanId()), "at", n(scan.scannedAt().toEpochMilli()),
                "c", n(claimedAtMillis)));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
