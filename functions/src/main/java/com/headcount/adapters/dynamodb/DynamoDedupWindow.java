package com.headcount.adapters.dynamodb;

import static com.headcount.adapters.dynamodb.Attributes.n;
import static com.headcount.adapters.dynamodb.Attributes.s;

import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Scan;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The five-minute window as one item per participant, gate and direction ({@code windowKey}), holding the accepted
 * scan of each window-wide time bucket it has seen ({@code b<bucket>} = {scanId, at}) and an {@code expiresAt}
 * (epoch seconds) that the table's TTL uses to collect it. See {@link WindowRule} for why three buckets decide.
 *
 * <p>A claim is a single conditional UpdateItem: no read first, so no read-then-write race. TTL deletes lazily (and
 * dynalite never does), so the condition itself treats an expired item as absent; the rare expired item is then
 * replaced whole, guarded by the expiry it was seen with.
 */
public final class DynamoDedupWindow implements DedupWindow {

    public static final String KEY = "windowKey";
    public static final String EXPIRES_AT = "expiresAt";

    /** Asserted verbatim in a test: this expression is the dedup rule. */
    public static final String CLAIM_CONDITION = "attribute_not_exists(#key) OR (#expiresAt >= :now"
            + " AND (attribute_not_exists(#this) OR #this.#scanId = :scanId)"
            + " AND (attribute_not_exists(#before) OR #before.#at < :earliest)"
            + " AND (attribute_not_exists(#after) OR #after.#at > :latest))";
    static final String CLAIM_UPDATE = "SET #this = :entry, #expiresAt = :expiresAt";
    static final String REPLACE_EXPIRED_CONDITION = "#expiresAt = :seenExpiresAt";
    static final String RELEASE_CONDITION = "#this.#scanId = :scanId";

    private static final int MAX_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDedupWindow(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    public static String windowKey(Scan scan) {
        return scan.eventId() + "#" + scan.participantId() + "#" + scan.gateId() + "#" + scan.direction().wireName();
    }

    static String bucketAttribute(long bucket) {
        return "b" + bucket;
    }

    @Override
    public Claim claim(Scan scan, Instant now) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> seen;
            try {
                dynamo.updateItem(b -> b.tableName(table)
                        .key(key(scan))
                        .updateExpression(CLAIM_UPDATE)
                        .conditionExpression(CLAIM_CONDITION)
                        .expressionAttributeNames(claimNames(scan))
                        .expressionAttributeValues(claimValues(scan, now))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return new Claimed();
            } catch (ConditionalCheckFailedException e) {
                seen = e.hasItem() && !e.item().isEmpty() ? e.item() : read(scan);
            }
            if (seen.isEmpty()) {
                // deleted between the write and the read (TTL): try again
            } else if (Long.parseLong(seen.get(EXPIRES_AT).n()) < now.getEpochSecond()) {
                if (replaceExpired(scan, now, seen.get(EXPIRES_AT))) return new Claimed();
            } else {
                HeldBy first = firstColliding(scan, seen);
                if (first != null) return first;
                // the colliding claim was released meanwhile: try again
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("window " + windowKey(scan) + " kept changing during " + MAX_ATTEMPTS + " claims");
            }
        }
    }

    @Override
    public void release(Scan scan) {
        long bucket = WindowRule.bucketOf(scan.scannedAt());
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(scan))
                    .updateExpression("REMOVE #this")
                    .conditionExpression(RELEASE_CONDITION)
                    .expressionAttributeNames(Map.of("#this", bucketAttribute(bucket), "#scanId", "scanId"))
                    .expressionAttributeValues(Map.of(":scanId", s(scan.scanId()))));
        } catch (ConditionalCheckFailedException alreadyGone) {
            // nothing of ours to give back
        }
    }

    static Map<String, String> claimNames(Scan scan) {
        long bucket = WindowRule.bucketOf(scan.scannedAt());
        return Map.of("#key", KEY, "#expiresAt", EXPIRES_AT,
                "#this", bucketAttribute(bucket), "#before", bucketAttribute(bucket - 1),
                "#after", bucketAttribute(bucket + 1), "#scanId", "scanId", "#at", "at");
    }

    private Map<String, AttributeValue> claimValues(Scan scan, Instant now) {
        long at = scan.scannedAt().toEpochMilli();
        return Map.of(":now", n(now.getEpochSecond()),
                ":scanId", s(scan.scanId()),
                ":earliest", n(at - WindowRule.WINDOW_MILLIS),
                ":latest", n(at + WindowRule.WINDOW_MILLIS),
                ":entry", entry(scan),
                ":expiresAt", n(now.plus(retention).getEpochSecond()));
    }

    private boolean replaceExpired(Scan scan, Instant now, AttributeValue seenExpiresAt) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(scan));
        item.put(bucketAttribute(WindowRule.bucketOf(scan.scannedAt())), entry(scan));
        item.put(EXPIRES_AT, n(now.plus(retention).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression(REPLACE_EXPIRED_CONDITION)
                    .expressionAttributeNames(Map.of("#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":seenExpiresAt", seenExpiresAt)));
            return true;
        } catch (ConditionalCheckFailedException someoneElseRenewedIt) {
            return false;
        }
    }

    private static HeldBy firstColliding(Scan scan, Map<String, AttributeValue> item) {
        long bucket = WindowRule.bucketOf(scan.scannedAt());
        HeldBy first = null;
        for (long b = bucket - 1; b <= bucket + 1; b++) {
            AttributeValue entry = item.get(bucketAttribute(b));
            if (entry == null || !entry.hasM()) continue;
            String scanId = entry.m().get("scanId").s();
            Instant at = Instant.ofEpochMilli(Long.parseLong(entry.m().get("at").n()));
            if (!scanId.equals(scan.scanId()) && WindowRule.collide(at, scan.scannedAt())
                    && (first == null || at.isBefore(first.scannedAt()))) {
                first = new HeldBy(scanId, at);
            }
        }
        return first;
    }

    private Map<String, AttributeValue> read(Scan scan) {
        var response = dynamo.getItem(b -> b.tableName(table).key(key(scan)).consistentRead(true));
        return response.hasItem() ? response.item() : Map.of();
    }

    private static Map<String, AttributeValue> key(Scan scan) {
        return Map.of(KEY, s(windowKey(scan)));
    }

    private static AttributeValue entry(Scan scan) {
        return AttributeValue.fromM(Map.of("scanId", s(scan.scanId()), "at", n(scan.scannedAt().toEpochMilli())));
    }
}
