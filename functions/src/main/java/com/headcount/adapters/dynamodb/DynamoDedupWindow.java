package com.headcount.adapters.dynamodb;

import static com.headcount.adapters.dynamodb.Attributes.n;
import static com.headcount.adapters.dynamodb.Attributes.s;

import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.FailureClassifier.TransientFailure;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Scan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The five-minute window as one item per participant, gate, direction and 50-minute block of event time (each
 * lane's grid of blocks shifted by its own offset, {@link WindowRule#offsetOf})
 * ({@code windowKey}), holding the accepted scan of each window-wide bucket of the block ({@code b<bucket>} =
 * {id, at}), the mirrors of its neighbours' edge scans, and an {@code expiresAt} (epoch seconds) that the table's TTL
 * uses to collect it. See {@link WindowRule} for why three buckets decide and why edge scans are mirrored.
 *
 * <p>Size: at most {@value WindowRule#BUCKETS_PER_BLOCK} + 2 slots of at most ~150 bytes (a 128-character scan id)
 * and a key of at most ~70 bytes (long lanes are hashed): under 2 KB, 2 WRU a write, however long the event and
 * however often a badge is seen; about 1 KB with UUID scan ids.
 *
 * <p>A batch first reads its items (one consistent BatchGetItem): a scan the read already shows within five minutes
 * of another accepted scan is a duplicate with no write at all. A claim is one conditional UpdateItem on the scan's
 * own block; an edge scan then writes its mirror into the neighbour with the same condition. Two edge scans of
 * neighbouring blocks claiming at once both succeed on their own block and then meet at the mirror: the earlier scan
 * ({@link WindowRule#precedes}) keeps the window, the later one gives its claim back and is its duplicate. Until a
 * scan's mirror is written its outcome is not stored, so the loser was never accepted; and until then its edge claim
 * is pending: a scan colliding with it waits for the mirror (one consistent read of the neighbour) before it is
 * called its duplicate, so a duplicate always names a scan that stands. A pending claim older than any function runs
 * ({@link #ABANDONED_AFTER}) was abandoned by a delivery that died, and is removed.
 *
 * <p>Expiry is event time: an item lives until the event's last scan time plus {@code retention}, however long the event
 * and whenever its scans arrive (and a retention after a claim made later than that). TTL deletes lazily (and dynalite never does), so the condition itself treats an expired item as
 * absent; the rare expired item is then replaced whole, guarded by the expiry it was seen with.
 */
public final class DynamoDedupWindow implements DedupWindow {

    public static final String KEY = "windowKey";
    public static final String EXPIRES_AT = "expiresAt";
    static final String ID = "id";
    static final String AT = "at";
    /** Lanes longer than this are keyed by their hash, so the key stays small whatever the ids. */
    static final int MAX_PLAIN_LANE = 64;

    /** Asserted verbatim in a test: this expression is the dedup rule. */
    public static final String CLAIM_CONDITION = claimCondition(false, false);
    static final String CLAIM_UPDATE = "SET #this = :slot, #expiresAt = :expiresAt";
    static final String REPLACE_EXPIRED_CONDITION = "#expiresAt = :seenExpiresAt";
    static final String RELEASE_CONDITION = "#this.#id = :scanId AND #this.#at = :at";
    static final String ABANDON_CONDITION = RELEASE_CONDITION + " AND #this.#claimed = :claimed";

    private static final int MAX_ATTEMPTS = 4;
    /** How long a decision waits for a pending edge claim of its block to be settled, in backed-off pauses. */
    private static final int MAX_WAITS = 8;
    /** Longer than any function runs (ingest 60 s, API 29 s): a claim pending this long has no one to finish it. */
    static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(2);
    static final String CLAIMED = "c";
    /** Marks a mirror that lost to a claim which was then given back itself: the whole claim is tried again. */
    private static final HeldBy LOST_TO_A_VANISHED_CLAIM = new HeldBy("", Instant.EPOCH);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    /** @param retention how long after the event's last scan time its windows are kept, for late uploads */
    public DynamoDedupWindow(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /** The scan's lane: event, participant, gate, direction. */
    public static String lane(Scan scan) {
        return scan.eventId() + "#" + scan.participantId() + "#" + scan.gateId() + "#" + scan.direction().wireName();
    }

    /** The item of the scan's lane for one block of event time. */
    public static String windowKey(Scan scan, long block) {
        String lane = lane(scan);
        return (lane.length() <= MAX_PLAIN_LANE ? lane : "h:" + sha256(lane)) + "#" + block;
    }

    /** The block of the lane's grid a scan falls in. */
    public static long blockOf(Scan scan) {
        return WindowRule.blockOf(WindowRule.bucketOf(scan.scannedAt()), WindowRule.offsetOf(lane(scan)));
    }

    static String bucketAttribute(long bucket) {
        return "b" + bucket;
    }

    /**
     * The claim's condition. A neighbouring slot holding this scan id at another time (an earlier body sent under the
     * same id) is removed by the same write: its clause then checks it is still that stale slot.
     */
    static String claimCondition(boolean staleBefore, boolean staleAfter) {
        return "attribute_not_exists(#key) OR (#expiresAt >= :now"
                + " AND (attribute_not_exists(#this) OR #this.#id = :scanId)"
                + " AND " + (staleBefore ? "#before.#id = :scanId" : "(attribute_not_exists(#before) OR #before.#at < :earliest)")
                + " AND " + (staleAfter ? "#after.#id = :scanId" : "(attribute_not_exists(#after) OR #after.#at > :latest)")
                + ")";
    }

    @Override
    public Batch open(Collection<Scan> scans, Instant now) {
        Set<String> keys = new LinkedHashSet<>();
        for (Scan scan : scans) keys.add(ownKey(scan));
        Map<String, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();
        List<Map<String, AttributeValue>> keyMaps = keys.stream().map(DynamoDedupWindow::key).toList();
        for (var chunk : Batches.chunks(keyMaps, Batches.MAX_BATCH_GET)) {
            for (var item : Batches.getAll(dynamo, table, chunk, true)) items.put(item.get(KEY).s(), item);
        }
        return new WindowBatch(items, now);
    }

    /** A batch's copy of its items, kept current with its own writes; each lane's items are used by one thread. */
    private final class WindowBatch implements Batch {

        private final Map<String, Map<String, AttributeValue>> items;
        private final Instant now;

        WindowBatch(Map<String, Map<String, AttributeValue>> items, Instant now) {
            this.items = items;
            this.now = now;
        }

        @Override
        public HeldBy holder(Scan scan) {
            return confirmed(ownKey(scan), scan);
        }

        /**
         * The colliding scan of the own item, once it is sure to stand. An edge claim of this very block is pending
         * until its mirror is written (it may yet lose at the block edge): the decision waits for the mirror, so a
         * duplicate never names a scan that ends otherwise. An edge claim left pending longer than any function runs
         * was abandoned (its delivery died and will claim again when it comes back): it is removed.
         */
        private HeldBy confirmed(String own, Scan scan) {
            int offset = WindowRule.offsetOf(lane(scan));
            long ownBlock = blockOf(scan);
            for (int wait = 0; ; wait++) {
                Map<String, AttributeValue> item = live(own);
                HeldBy held = firstColliding(scan, item);
                if (held == null) return null;
                long bucket = WindowRule.bucketOf(held.scannedAt());
                OptionalLong mirrorBlock = WindowRule.mirrorBlockOf(bucket, offset);
                if (mirrorBlock.isEmpty() || WindowRule.blockOf(bucket, offset) != ownBlock) return held;
                AttributeValue mirror = read(windowKey(scan, mirrorBlock.getAsLong())).get(bucketAttribute(bucket));
                if (names(mirror, held.scanId(), held.scannedAt())) return held;
                AttributeValue slot = item.get(bucketAttribute(bucket));
                if (claimedBefore(slot, Instant.now().minus(ABANDONED_AFTER))) {
                    removeAbandoned(own, bucket, slot);
                } else if (wait == MAX_WAITS) {
                    throw new TransientFailure("claim " + held.scanId() + " in " + own + " is still pending at its block edge");
                } else {
                    pause(wait);
                }
                items.put(own, read(own));
            }
        }

        @Override
        public boolean claimedBy(Scan scan) {
            return names(live(ownKey(scan)).get(bucketAttribute(WindowRule.bucketOf(scan.scannedAt()))), scan);
        }

        @Override
        public Claim claim(Scan scan, Instant scansEnd) {
            long bucket = WindowRule.bucketOf(scan.scannedAt());
            // event time: at least the event's last scan time plus the retention, whenever the claim is made; and a
            // claim made later than that (a backlog uploaded after the event) is kept the retention too
            long expiresAt = Math.max(scansEnd.plus(retention).getEpochSecond(), now.plus(retention).getEpochSecond());
            String own = ownKey(scan);
            OptionalLong mirrorBlock = WindowRule.mirrorBlockOf(bucket, WindowRule.offsetOf(lane(scan)));
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                HeldBy held = claimIn(own, scan, expiresAt, true);
                if (held != null) return held;
                if (mirrorBlock.isEmpty()) return new Claimed();
                HeldBy settled = mirror(scan, own, windowKey(scan, mirrorBlock.getAsLong()), expiresAt);
                if (settled == null) return new Claimed();
                if (settled != LOST_TO_A_VANISHED_CLAIM) return settled;
                // the earlier claim we gave way to was itself given back: claim again from the start
            }
            throw new TransientFailure("the window across the block edge of " + own + " kept changing");
        }

        /**
         * Writes an edge claim's mirror into the neighbouring block. Null when written (the claim stands). A claim
         * of the neighbour made at the same moment meets it there: the earlier scan keeps the window. Losing, this
         * scan gives its own claim back and waits for the winner's mirror to settle it.
         */
        private HeldBy mirror(Scan scan, String own, String mirror, long expiresAt) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                HeldBy other = claimIn(mirror, scan, expiresAt, false);
                if (other == null) return null;
                if (WindowRule.precedes(other.scanId(), other.scannedAt(), scan.scanId(), scan.scannedAt())) {
                    removeSlot(own, scan.scanId(), scan.scannedAt());
                    items.put(own, read(own));
                    HeldBy winner = confirmed(own, scan);
                    return winner != null ? winner : LOST_TO_A_VANISHED_CLAIM;
                }
                // a later scan's claim, still pending (our own claim kept its mirror out): ours wins
                removeSlot(mirror, other.scanId(), other.scannedAt());
                items.remove(mirror);
            }
            throw new TransientFailure("the mirror of " + scan.scanId() + " in " + mirror + " kept changing");
        }

        @Override
        public void release(Scan scan) {
            // the mirror first: a crash after it leaves the own slot, which the next delivery finds and releases
            OptionalLong mirrorBlock = WindowRule.mirrorBlockOf(WindowRule.bucketOf(scan.scannedAt()),
                    WindowRule.offsetOf(lane(scan)));
            if (mirrorBlock.isPresent()) {
                String mirror = windowKey(scan, mirrorBlock.getAsLong());
                removeSlot(mirror, scan.scanId(), scan.scannedAt());
                forget(mirror, scan.scanId(), scan.scannedAt());
            }
            String own = ownKey(scan);
            removeSlot(own, scan.scanId(), scan.scannedAt());
            forget(own, scan.scanId(), scan.scannedAt());
        }

        /**
         * Drops a slot this batch gave back from its copy of the item, so no later scan of the batch is called the
         * duplicate of a scan that does not stand. Only that scan's slot: another's in the same bucket stays.
         */
        private void forget(String key, String scanId, Instant at) {
            Map<String, AttributeValue> item = items.get(key);
            String bucket = bucketAttribute(WindowRule.bucketOf(at));
            if (item == null || !names(item.get(bucket), scanId, at)) return;
            Map<String, AttributeValue> without = new HashMap<>(item);
            without.remove(bucket);
            items.put(key, without);
        }

        /**
         * Writes the scan's slot into one item, conditionally. Returns the colliding scan that keeps it out, or null
         * when written. In the scan's own item, slots this scan id left from an earlier body are removed in the same
         * write (a retried request whose time moved must not keep its old claim).
         */
        private HeldBy claimIn(String key, Scan scan, long expiresAt, boolean ownItem) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Map<String, AttributeValue> seen = items.get(key);
                if (seen != null && expired(seen, now)) {
                    if (replaceExpired(key, scan, now, expiresAt, seen.get(EXPIRES_AT))) return null;
                    items.put(key, read(key));
                    continue;
                }
                HeldBy held = ownItem ? confirmed(key, scan) : firstColliding(scan, seen == null ? Map.of() : seen);
                if (held != null) return held;
                Map<String, AttributeValue> current = items.getOrDefault(key, Map.of());
                List<String> stale = ownItem ? staleSlots(scan, current) : List.of();
                try {
                    update(key, scan, now, expiresAt, stale);
                    removeOriginalsOf(scan, current, stale);
                    Map<String, AttributeValue> after = new HashMap<>(current);
                    stale.forEach(after::remove);
                    after.put(KEY, s(key));
                    after.put(bucketAttribute(WindowRule.bucketOf(scan.scannedAt())), slot(scan));
                    after.put(EXPIRES_AT, n(expiresAt));
                    items.put(key, after);
                    return null;
                } catch (ConditionalCheckFailedException e) {
                    // changed since read (another instance's claim or release): look again
                    items.put(key, e.hasItem() && !e.item().isEmpty() ? e.item() : read(key));
                }
            }
            throw new TransientFailure("window " + key + " kept changing during " + MAX_ATTEMPTS + " claims");
        }

        /**
         * A stale slot of this id that is a mirror (another block's edge scan, an earlier body of this id) has its
         * original in that block: it goes too, so no claim of the earlier body is left anywhere near.
         */
        private void removeOriginalsOf(Scan scan, Map<String, AttributeValue> item, List<String> stale) {
            int offset = WindowRule.offsetOf(lane(scan));
            long ownBlock = blockOf(scan);
            for (String name : stale) {
                long bucket = Long.parseLong(name.substring(1));
                long block = WindowRule.blockOf(bucket, offset);
                if (block == ownBlock) continue;
                Instant at = Instant.ofEpochMilli(Long.parseLong(item.get(name).m().get(AT).n()));
                removeSlot(windowKey(scan, block), scan.scanId(), at);
                forget(windowKey(scan, block), scan.scanId(), at);
            }
        }

        private Map<String, AttributeValue> live(String key) {
            Map<String, AttributeValue> item = items.get(key);
            return item == null || expired(item, now) ? Map.of() : item;
        }
    }

    private void update(String key, Scan scan, Instant now, long expiresAt, List<String> stale) {
        long bucket = WindowRule.bucketOf(scan.scannedAt());
        long at = scan.scannedAt().toEpochMilli();
        Map<String, String> names = new HashMap<>(claimNames(bucket));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", n(now.getEpochSecond()),
                ":scanId", s(scan.scanId()),
                ":earliest", n(at - WindowRule.WINDOW_MILLIS),
                ":latest", n(at + WindowRule.WINDOW_MILLIS),
                ":slot", slot(scan),
                ":expiresAt", n(expiresAt)));
        boolean staleBefore = stale.contains(bucketAttribute(bucket - 1));
        boolean staleAfter = stale.contains(bucketAttribute(bucket + 1));
        // a stale neighbour's clause checks its id instead of its time
        if (staleBefore) values.remove(":earliest");
        if (staleAfter) values.remove(":latest");
        StringBuilder condition = new StringBuilder(claimCondition(staleBefore, staleAfter));
        StringBuilder update = new StringBuilder(CLAIM_UPDATE);
        for (int i = 0; i < stale.size(); i++) {
            String name = stale.get(i).equals(bucketAttribute(bucket - 1)) ? "#before"
                    : stale.get(i).equals(bucketAttribute(bucket + 1)) ? "#after" : "#stale" + i;
            if (name.startsWith("#stale")) {
                names.put(name, stale.get(i));
                condition.insert(0, "(").append(") AND ").append(name).append(".#id = :scanId");
            }
            update.append(i == 0 ? " REMOVE " : ", ").append(name);
        }
        String finalCondition = condition.toString();
        String finalUpdate = update.toString();
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(key))
                .updateExpression(finalUpdate)
                .conditionExpression(finalCondition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    static Map<String, String> claimNames(long bucket) {
        return Map.of("#key", KEY, "#expiresAt", EXPIRES_AT,
                "#this", bucketAttribute(bucket), "#before", bucketAttribute(bucket - 1),
                "#after", bucketAttribute(bucket + 1), "#id", ID, "#at", AT);
    }

    private void removeSlot(String key, String scanId, Instant at) {
        long bucket = WindowRule.bucketOf(at);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(key))
                    .updateExpression("REMOVE #this")
                    .conditionExpression(RELEASE_CONDITION)
                    .expressionAttributeNames(Map.of("#this", bucketAttribute(bucket), "#id", ID, "#at", AT))
                    .expressionAttributeValues(Map.of(":scanId", s(scanId), ":at", n(at.toEpochMilli()))));
        } catch (ConditionalCheckFailedException alreadyGone) {
            // nothing of that scan's to give back
        }
    }

    /**
     * Removes an edge claim judged abandoned, only if it is still the very claim that was judged: a redelivery of the
     * same scan may have claimed again since (same id and time, a new stamp), and that claim stands.
     */
    private void removeAbandoned(String key, long bucket, AttributeValue judged) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(key))
                    .updateExpression("REMOVE #this")
                    .conditionExpression(ABANDON_CONDITION)
                    .expressionAttributeNames(Map.of("#this", bucketAttribute(bucket), "#id", ID, "#at", AT,
                            "#claimed", CLAIMED))
                    .expressionAttributeValues(Map.of(":scanId", judged.m().get(ID), ":at", judged.m().get(AT),
                            ":claimed", judged.m().get(CLAIMED))));
        } catch (ConditionalCheckFailedException claimedAgainOrGone) {
            // claimed again by its own redelivery (it stands), or already removed: nothing to take
        }
    }

    private boolean replaceExpired(String key, Scan scan, Instant now, long expiresAt, AttributeValue seenExpiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put(bucketAttribute(WindowRule.bucketOf(scan.scannedAt())), slot(scan));
        item.put(EXPIRES_AT, n(expiresAt));
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

    /** The earliest other scan in the item within five minutes of this one (its own bucket or a neighbour). */
    static HeldBy firstColliding(Scan scan, Map<String, AttributeValue> item) {
        long bucket = WindowRule.bucketOf(scan.scannedAt());
        HeldBy first = null;
        for (long b = bucket - 1; b <= bucket + 1; b++) {
            AttributeValue slot = item.get(bucketAttribute(b));
            if (slot == null || !slot.hasM()) continue;
            String id = slot.m().get(ID).s();
            Instant at = Instant.ofEpochMilli(Long.parseLong(slot.m().get(AT).n()));
            if (!id.equals(scan.scanId()) && WindowRule.collide(at, scan.scannedAt())
                    && (first == null || at.isBefore(first.scannedAt()))) {
                first = new HeldBy(id, at);
            }
        }
        return first;
    }

    /** Slots of this scan id at another time: left by an earlier body sent under the same id. */
    private static List<String> staleSlots(Scan scan, Map<String, AttributeValue> item) {
        String mine = bucketAttribute(WindowRule.bucketOf(scan.scannedAt()));
        List<String> stale = new ArrayList<>();
        for (var e : item.entrySet()) {
            if (e.getKey().startsWith("b") && !e.getKey().equals(mine) && e.getValue().hasM()
                    && scan.scanId().equals(e.getValue().m().get(ID).s())) {
                stale.add(e.getKey());
            }
        }
        return stale;
    }

    private static boolean names(AttributeValue slot, Scan scan) {
        return names(slot, scan.scanId(), scan.scannedAt());
    }

    private static boolean names(AttributeValue slot, String scanId, Instant at) {
        return slot != null && slot.hasM() && scanId.equals(slot.m().get(ID).s())
                && Long.toString(at.toEpochMilli()).equals(slot.m().get(AT).n());
    }

    private static boolean expired(Map<String, AttributeValue> item, Instant now) {
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        return expiresAt != null && Long.parseLong(expiresAt.n()) < now.getEpochSecond();
    }

    private Map<String, AttributeValue> read(String key) {
        var response = dynamo.getItem(b -> b.tableName(table).key(key(key)).consistentRead(true));
        return response.hasItem() ? response.item() : Map.of();
    }

    private static String ownKey(Scan scan) {
        return windowKey(scan, blockOf(scan));
    }

    private static Map<String, AttributeValue> key(String windowKey) {
        return Map.of(KEY, s(windowKey));
    }

    /** A claim: the scan's id and time; an edge claim also says when it was made, so an abandoned one can be told. */
    private static AttributeValue slot(Scan scan) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put(ID, s(scan.scanId()));
        m.put(AT, n(scan.scannedAt().toEpochMilli()));
        if (WindowRule.mirrorBlockOf(WindowRule.bucketOf(scan.scannedAt()), WindowRule.offsetOf(lane(scan))).isPresent()) {
            m.put(CLAIMED, n(System.currentTimeMillis()));
        }
        return AttributeValue.fromM(m);
    }

    private static boolean claimedBefore(AttributeValue slot, Instant limit) {
        return slot != null && slot.hasM() && slot.m().get(CLAIMED) != null
                && Long.parseLong(slot.m().get(CLAIMED).n()) < limit.toEpochMilli();
    }

    private static void pause(int wait) {
        try {
            Thread.sleep(Math.min(400, 10L << wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while waiting for a claim at a block edge", e);
        }
    }

    private static String sha256(String lane) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(lane.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
