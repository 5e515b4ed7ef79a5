package com.headcount.adapters.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.scan.Direction;
import com.headcount.testing.Scans;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The window's condition expression is the dedup rule itself: any change to it must be deliberate. */
class DynamoDedupWindowConditionTest {

    static final class Captured extends RuntimeException {
        final SdkRequest request;

        Captured(SdkRequest request) {
            super("captured, not sent");
            this.request = request;
        }
    }

    final DynamoDbClient client = DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    throw new Captured(context.request());
                }
            }))
            .build();
    final DynamoDedupWindow window = new DynamoDedupWindow(client, "windows", Duration.ofDays(2));

    @Test
    void claimIsOneConditionalUpdateCheckingExpiryAndTheThreeBucketsAroundTheScan() {
        Instant at = Instant.parse("2026-11-26T12:01:00Z");
        Instant now = Instant.parse("2026-11-26T12:02:00Z");
        Instant scansEnd = Instant.parse("2026-11-26T19:00:00Z");
        // a batch whose read found nothing: the claim is the first request
        var batch = window.open(List.of(), now);

        var thrown = assertThrows(Captured.class,
                () -> batch.claim(Scans.scan("scan-1", "p-1", "north", at, Direction.ENTRY), scansEnd));
        UpdateItemRequest request = (UpdateItemRequest) thrown.request;

        assertEquals("attribute_not_exists(#key) OR (#expiresAt >= :now"
                + " AND (attribute_not_exists(#this) OR (#this.#id = :scanId AND #this.#at = :at))"
                + " AND (attribute_not_exists(#before) OR #before.#at < :earliest)"
                + " AND (attribute_not_exists(#after) OR #after.#at > :latest))", request.conditionExpression());
        assertEquals("SET #this = :slot, #expiresAt = :expiresAt", request.updateExpression());
        long bucket = at.toEpochMilli() / 300_000;
        assertEquals(Map.of("#key", "windowKey", "#expiresAt", "expiresAt", "#this", "b" + bucket,
                "#before", "b" + (bucket - 1), "#after", "b" + (bucket + 1), "#id", "id", "#at", "at"),
                request.expressionAttributeNames());
        int offset = Math.floorMod("demo-2026#p-1#north#entry".hashCode(), 10);
        assertEquals(Map.of("windowKey", AttributeValue.fromS("demo-2026#p-1#north#entry#" + Math.floorDiv(bucket + offset, 10))),
                request.key(), "one item per lane and 50-minute block of the lane's own grid");
        Map<String, AttributeValue> values = request.expressionAttributeValues();
        assertEquals(String.valueOf(now.getEpochSecond()), values.get(":now").n(), "expiry is checked against now");
        assertEquals(String.valueOf(at.toEpochMilli()), values.get(":at").n(),
                "its own bucket may hold only this very claim: never another body of the same id");
        assertEquals(String.valueOf(at.toEpochMilli() - 300_000), values.get(":earliest").n());
        assertEquals(String.valueOf(at.toEpochMilli() + 300_000), values.get(":latest").n());
        assertEquals(String.valueOf(scansEnd.plus(Duration.ofDays(2)).getEpochSecond()), values.get(":expiresAt").n(),
                "kept in event time: the event's last scan time plus the retention, in epoch seconds");
    }

    @Test
    void aLongLaneIsKeyedByItsHashSoTheItemStaysSmall() {
        String longId = "p".repeat(128);
        Instant at = Instant.parse("2026-11-26T12:01:00Z");
        var thrown = assertThrows(Captured.class, () -> window.open(List.of(), at)
                .claim(Scans.scan("scan-1", longId, "north", at, Direction.ENTRY), at));
        String key = ((UpdateItemRequest) thrown.request).key().get("windowKey").s();
        assertTrue(key.startsWith("h:") && key.length() < 70, key);
    }
}
