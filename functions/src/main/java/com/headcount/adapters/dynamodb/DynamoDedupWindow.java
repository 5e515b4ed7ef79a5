package com.headcount.adapters.dynamodb;

import static com.headcount.adapters.dynamodb.Attributes.n;
import static com.headcount.adapters.dynamodb.Attributes.s;

import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.decision.window.BlockId;
import com.headcount.core.decision.window.BlockItem;
import com.headcount.core.decision.window.BlockWindow;
import com.headcount.core.decision.window.Slot;
import com.headcount.core.decision.window.WindowModel;
import com.headcount.core.decision.window.WindowStore;
import com.headcount.core.scan.Scan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The five-minute window in DynamoDB: one item per lane and block ({@code windowKey}), holding the slot of each
 * bucket ({@code b<bucket>} = {id, at, and c for an edge claim}) and an {@code expiresAt} (epoch seconds) that the
 * table's TTL uses to collect it. The protocol (what to claim, mirror, wait for, remove) is the core's
 * ({@link WindowModel}, run by {@link BlockWindow}); this class only translates its reads and conditional writes.
 *
 * <p>Size: at most {@value WindowRule#BUCKETS_PER_BLOCK} + 2 slots of at most ~150 bytes (a 128-character scan id)
 * and a key of at most ~70 bytes (long lanes are hashed): under 2 KB, 2 WRU a write, however long the event and
 * however often a badge is seen; about 1 KB with UUID scan ids.
 *
 * <p>TTL deletes lazily (and dynalite never does), so the claim's condition itself treats an expired item as absent;
 * the rare expired item is then replaced whole, guarded by the expiry it was seen with.
 */
public final class DynamoDedupWindow implements DedupWindow, WindowStore {

    public static final String KEY = "windowKey";
    public static final String EXPIRES_AT = "expiresAt";
    static final String ID = "id";
    static final String AT = "at";
    static final String CLAIMED = "c";
    /** Lanes longer than this are keyed by their hash, so the key stays small whatever the ids. */
    static final int MAX_PLAIN_LANE = 64;

    /** Asserted verbatim in a test: this expression is the dedup rule ({@link WindowModel#claimAllowed}). */
    public static final String CLAIM_CONDITION = "attribute_not_exists(#key) OR (#expiresAt >= :now"
            + " AND (attribute_not_exists(#this) OR (#this.#id = :scanId AND #this.#at = :at))"
            + " AND (attribute_not_exists(#before) OR #before.#at < :earliest)"
            + " AND (attribute_not_exists(#after) OR #after.#at > :latest))";
    static final String CLAIM_UPDATE = "SET #this = :slot, #expiresAt = :expiresAt";
    static final String REPLACE_EXPIRED_CONDITION = "#expiresAt = :seenExpiresAt";
    static final String RELEASE_CONDITION = "#this.#id = :scanId AND #this.#at = :at";
    static final String ABANDON_CONDITION = RELEASE_CONDITION + " AND #this.#claimed = :claimed";

    private final DynamoDbClient dynamo;
    private final String table;
    private final BlockWindow window;

    /** @param retention how long after the event's last scan time its windows are kept, for late uploads */
    public DynamoDedupWindow(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.window = new BlockWindow(this, retention, Clock.systemUTC(), BlockWindow.Pause.SLEEP);
    }

    @Override
    public Batch open(Collection<Scan> scans, Instant now) {
        return window.open(scans, now);
    }

    /** The scan's lane: event, participant, gate, direction. */
    public static String lane(Scan scan) {
        return WindowModel.lane(scan);
    }

    /** The item of the scan's lane for one block of event time. */
    public static String windowKey(Scan scan, long block) {
        return key(new BlockId(lane(scan), block));
    }

    /** The block of the lane's grid a scan falls in. */
    public static long blockOf(Scan scan) {
        return WindowModel.ownBlock(scan).block();
    }

    static String bucketAttribute(long bucket) {
        return "b" + bucket;
    }

    @Override
    public Map<BlockId, BlockItem> readAll(Collection<BlockId> ids) {
        Map<String, BlockId> byKey = new LinkedHashMap<>();
        for (BlockId id : ids) byKey.put(key(id), id);
        List<Map<String, AttributeValue>> keys = byKey.keySet().stream().map(DynamoDedupWindow::keyOf).toList();
        Map<BlockId, BlockItem> items = new HashMap<>();
        for (var chunk : Batches.chunks(keys, Batches.MAX_BATCH_GET)) {
            for (var item : Batches.getAll(dynamo, table, chunk, true)) {
                BlockId id = byKey.get(item.get(KEY).s());
                items.put(id, parse(id, item));
            }
        }
        return items;
    }

    @Override
    public BlockItem read(BlockId id) {
        var response = dynamo.getItem(b -> b.tableName(table).key(keyOf(key(id))).consistentRead(true));
        return response.hasItem() ? parse(id, response.item()) : BlockItem.absent(id);
    }

    @Override
    public Optional<BlockItem> claim(BlockId id, Scan scan, Slot slot, long expiresAt, Instant now) {
        long bucket = WindowModel.bucketOf(scan);
        long at = scan.scannedAt().toEpochMilli();
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(keyOf(key(id)))
                    .updateExpression(CLAIM_UPDATE)
                    .conditionExpression(CLAIM_CONDITION)
                    .expressionAttributeNames(claimNames(bucket))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()),
                            ":scanId", s(scan.scanId()),
                            ":at", n(at),
                            ":earliest", n(at - WindowRule.WINDOW_MILLIS),
                            ":latest", n(at + WindowRule.WINDOW_MILLIS),
                            ":slot", slot(slot),
                            ":expiresAt", n(expiresAt)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.of(e.hasItem() && !e.item().isEmpty() ? parse(id, e.item()) : read(id));
        }
    }

    static Map<String, String> claimNames(long bucket) {
        return Map.of("#key", KEY, "#expiresAt", EXPIRES_AT,
                "#this", bucketAttribute(bucket), "#before", bucketAttribute(bucket - 1),
                "#after", bucketAttribute(bucket + 1), "#id", ID, "#at", AT);
    }

    @Override
    public boolean replaceExpired(BlockId id, long bucket, Slot slot, long expiresAt, long seenExpiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(key(id)));
        item.put(bucketAttribute(bucket), slot(slot));
        item.put(EXPIRES_AT, n(expiresAt));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression(REPLACE_EXPIRED_CONDITION)
                    .expressionAttributeNames(Map.of("#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":seenExpiresAt", n(seenExpiresAt))));
            return true;
        } catch (ConditionalCheckFailedException someoneElseRenewedIt) {
            return false;
        }
    }

    @Override
    public void remove(BlockId id, long bucket, Slot expected, boolean checkStamp) {
        Map<String, String> names = new HashMap<>(Map.of("#this", bucketAttribute(bucket), "#id", ID, "#at", AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":scanId", s(expected.scanId()),
                ":at", n(expected.at().toEpochMilli())));
        if (checkStamp) {
            names.put("#claimed", CLAIMED);
            values.put(":claimed", n(expected.claimedAt()));
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(keyOf(key(id)))
                    .updateExpression("REMOVE #this")
                    .conditionExpression(checkStamp ? ABANDON_CONDITION : RELEASE_CONDITION)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException goneOrClaimedAgain) {
            // nothing of that claim's left to take: already removed, or claimed again by its own redelivery
        }
    }

    private static BlockItem parse(BlockId id, Map<String, AttributeValue> item) {
        Map<Long, Slot> slots = new HashMap<>();
        for (var e : item.entrySet()) {
            if (!e.getKey().startsWith("b") || !e.getValue().hasM()) continue;
            Map<String, AttributeValue> m = e.getValue().m();
            AttributeValue claimed = m.get(CLAIMED);
            slots.put(Long.parseLong(e.getKey().substring(1)), new Slot(m.get(ID).s(),
                    Instant.ofEpochMilli(Long.parseLong(m.get(AT).n())),
                    claimed == null ? null : Long.parseLong(claimed.n())));
        }
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        return new BlockItem(id, slots, expiresAt == null ? Long.MAX_VALUE : Long.parseLong(expiresAt.n()), true);
    }

    private static AttributeValue slot(Slot slot) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put(ID, s(slot.scanId()));
        m.put(AT, n(slot.at().toEpochMilli()));
        if (slot.claimedAt() != null) m.put(CLAIMED, n(slot.claimedAt()));
        return AttributeValue.fromM(m);
    }

    private static String key(BlockId id) {
        return (id.lane().length() <= MAX_PLAIN_LANE ? id.lane() : "h:" + sha256(id.lane())) + "#" + id.block();
    }

    private static Map<String, AttributeValue> keyOf(String windowKey) {
        return Map.of(KEY, s(windowKey));
    }

    private static String sha256(String lane) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(lane.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
