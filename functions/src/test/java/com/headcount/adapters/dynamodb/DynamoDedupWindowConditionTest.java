package com.headcount.adapters.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.headcount.testing.Scans;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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

    @Test
    void claimIsOneConditionalUpdateCheckingExpiryAndTheThreeBucketsAroundTheScan() {
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                throw new Captured(context.request());
            }
        };
        DynamoDbClient client = DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .overrideConfiguration(o -> o.addExecutionInterceptor(capture))
                .build();
        var window = new DynamoDedupWindow(client, "windows", Duration.ofDays(2));
        Instant at = Instant.parse("2026-11-26T12:01:00Z");
        Instant now = Instant.parse("2026-11-26T12:02:00Z");

        var thrown = assertThrows(Captured.class,
                () -> window.claim(Scans.scan("scan-1", "p-1", "north", at, com.headcount.core.scan.Direction.ENTRY), now));
        UpdateItemRequest request = (UpdateItemRequest) thrown.request;

        assertEquals("attribute_not_exists(#key) OR (#expiresAt >= :now"
                + " AND (attribute_not_exists(#this) OR #this.#scanId = :scanId)"
                + " AND (attribute_not_exists(#before) OR #before.#at < :earliest)"
                + " AND (attribute_not_exists(#after) OR #after.#at > :latest))", request.conditionExpression());
        assertEquals("SET #this = :entry, #expiresAt = :expiresAt", request.updateExpression());
        long bucket = at.toEpochMilli() / 300_000;
        assertEquals(Map.of("#key", "windowKey", "#expiresAt", "expiresAt", "#this", "b" + bucket,
                "#before", "b" + (bucket - 1), "#after", "b" + (bucket + 1), "#scanId", "scanId", "#at", "at"),
                request.expressionAttributeNames());
        assertEquals(Map.of("windowKey", AttributeValue.fromS("demo-2026#p-1#north#entry")), request.key());
        Map<String, AttributeValue> values = request.expressionAttributeValues();
        assertEquals(String.valueOf(now.getEpochSecond()), values.get(":now").n(), "expiry is checked against now");
        assertEquals(String.valueOf(at.toEpochMilli() - 300_000), values.get(":earliest").n());
        assertEquals(String.valueOf(at.toEpochMilli() + 300_000), values.get(":latest").n());
        assertEquals(String.valueOf(now.plus(Duration.ofDays(2)).getEpochSecond()), values.get(":expiresAt").n(),
                "the TTL attribute is epoch seconds");
    }
}
