package com.headcount.adapters.dynamodb;

import com.headcount.core.alerts.Alert;
import com.headcount.core.stats.Aggregate;
import com.headcount.core.stats.ClaimPage;
import com.headcount.core.stats.EventAggregates;
import com.headcount.core.stats.EventStatistics;
import com.headcount.core.stats.Occurrence;
import com.headcount.core.stats.ParticipantClaims;
import com.headcount.core.stats.StatisticsStore;
import com.headcount.core.stats.StreamedScan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The statistics in DynamoDB (see {@link StatisticsItems}). Reads are strongly consistent, because a retried batch
 * must see everything the failed attempt wrote; writes are whole-item PutItems conditional on the version read
 * ({@link #NEW_ITEM} or {@link #SAME_VERSION}), so nothing written in between is ever overwritten.
 */
public final class DynamoStatisticsStore implements StatisticsStore {

    /** "#outbox.#a99, " is 14 characters: 100 of them stay far inside DynamoDB's 4 KB expression limit. */
    static final int REMOVALS_PER_UPDATE = 100;

    /** Asserted in a test: these two conditions are the optimistic lock of every statistics write. */
    public static final String NEW_ITEM = "attribute_not_exists(#pk)";
    public static final String SAME_VERSION = "#ver = :ver";

    private final DynamoDbClient dynamo;
    private final String table;
    private final ParticipantCounts counts;

    public DynamoStatisticsStore(DynamoDbClient dynamo, String table, ParticipantCounts counts) {
        this.dynamo = dynamo;
        this.table = table;
        this.counts = counts;
    }

    @Override
    public Map<String, ParticipantClaims> claims(String eventId, Collection<String> participantIds) {
        List<Map<String, AttributeValue>> keys = new LinkedHashSet<>(participantIds).stream()
                .map(p -> StatisticsItems.claimsKey(eventId, p)).toList();
        Map<String, ParticipantClaims> found = new HashMap<>();
        for (var chunk : Batches.chunks(keys, Batches.MAX_BATCH_GET)) {
            for (var item : Batches.getAll(dynamo, table, chunk, true)) {
                ParticipantClaims p = StatisticsItems.claims(item);
                found.put(p.participantId(), p);
            }
        }
        return found;
    }

    @Override
    public Map<ClaimPage.Key, ClaimPage> pages(String eventId, Collection<ClaimPage.Key> keys) {
        Map<ClaimPage.Key, ClaimPage> pages = new LinkedHashMap<>();
        for (ClaimPage.Key key : keys) pages.put(key, ClaimPage.empty(key));
        List<Map<String, AttributeValue>> itemKeys = pages.keySet().stream()
                .map(k -> StatisticsItems.pageKey(eventId, k)).toList();
        String prefix = "PARTICIPANT#" + eventId + "#";
        for (var chunk : Batches.chunks(itemKeys, Batches.MAX_BATCH_GET)) {
            for (var item : Batches.getAll(dynamo, table, chunk, true)) {
                ClaimPage page = StatisticsItems.page(item.get(StatisticsItems.PK).s().substring(prefix.length()), item);
                pages.put(page.key(), page);
            }
        }
        return pages;
    }

    @Override
    public void saveClaims(Collection<ParticipantClaims> changed) {
        for (ParticipantClaims p : changed) {
            for (ClaimPage page : p.changedPages()) {
                if (!put(StatisticsItems.item(p.eventId(), page), page.version())) throw changedUnderBatch();
            }
        }
        for (ParticipantClaims p : changed) {
            if (!put(StatisticsItems.item(p), p.version())) throw changedUnderBatch();
        }
    }

    @Override
    public Map<String, Occurrence> refusalClaims(String eventId, Collection<StreamedScan> refusals) {
        List<Map<String, AttributeValue>> keys = refusals.stream()
                .map(r -> StatisticsItems.refusalKey(eventId, r)).distinct().toList();
        Map<String, Occurrence> found = new HashMap<>();
        for (var chunk : Batches.chunks(keys, Batches.MAX_BATCH_GET)) {
            for (var item : Batches.getAll(dynamo, table, chunk, true)) {
                found.put(item.get(StatisticsItems.SK).s().substring(StatisticsItems.REFUSAL.length()),
                        Occurrence.parse(item.get("occurrence").s()));
            }
        }
        return found;
    }

    @Override
    public void saveRefusalClaims(String eventId, Collection<StreamedScan> claimed) {
        for (StreamedScan scan : claimed) {
            if (!put(StatisticsItems.refusalClaim(eventId, scan), 0)) throw changedUnderBatch();
        }
    }

    private static IllegalStateException changedUnderBatch() {
        return new IllegalStateException("claims of a participant changed under this batch (two readers of one shard?)");
    }

    @Override
    public EventAggregates aggregates(String eventId, Collection<String> hourKeys) {
        // one Query: the overall, gate and hour items and the participant counter, all under AGG#
        return StatisticsItems.read(query(eventId, "AGG#"), null);
    }

    @Override
    public EventStatistics everything(String eventId) {
        List<Alert> history = new ArrayList<>();
        var items = query(eventId, null);
        EventAggregates aggs = StatisticsItems.read(items, history);
        aggs.heartbeats = GateHeartbeatItems.read(items);
        return new EventStatistics(aggs, history);
    }

    @Override
    public boolean save(String eventId, Aggregate aggregate) {
        return put(StatisticsItems.item(eventId, aggregate), aggregate.version());
    }

    @Override
    public boolean saveOverall(String eventId, EventAggregates aggregates) {
        return put(StatisticsItems.overallItem(eventId, aggregates), aggregates.overall.version());
    }

    @Override
    public void recordUncounted(String eventId, List<StreamedScan> scans, Instant at) {
        List<WriteRequest> writes = new ArrayList<>();
        for (StreamedScan scan : scans) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(StatisticsItems.uncounted(scan, at)).build()).build());
        }
        Batches.writeAll(dynamo, table, writes);
    }

    @Override
    public long activeParticipants(String eventId) {
        return counts.active(eventId);
    }

    @Override
    public void recordAlert(Alert alert) {
        dynamo.putItem(b -> b.tableName(table).item(StatisticsItems.item(alert)));
    }

    @Override
    public void delivered(String eventId, Collection<String> alertIds) {
        List<String> ids = List.copyOf(alertIds);
        // DynamoDB refuses an expression over 4 KB: a venue losing hundreds of gates at once raises that many alerts
        for (int from = 0; from < ids.size(); from += REMOVALS_PER_UPDATE) {
            removeFromOutbox(eventId, ids.subList(from, Math.min(ids.size(), from + REMOVALS_PER_UPDATE)));
        }
    }

    private void removeFromOutbox(String eventId, List<String> alertIds) {
        Map<String, String> names = new HashMap<>(Map.of("#outbox", "outbox", "#ver", StatisticsItems.VERSION));
        List<String> removals = new ArrayList<>();
        int i = 0;
        for (String id : alertIds) {
            names.put("#a" + i, id);
            removals.add("#outbox.#a" + i++);
        }
        // the version moves too, so a writer holding the old outbox must read again instead of putting it back
        dynamo.updateItem(b -> b.tableName(table).key(StatisticsItems.eventKey(eventId, "AGG#" + Aggregate.OVERALL))
                .updateExpression("REMOVE " + String.join(", ", removals) + " SET #ver = #ver + :one")
                .conditionExpression("attribute_exists(#ver)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    /** Everything of the event's partition whose sort key starts with {@code prefix} (all when null), strongly consistent. */
    List<Map<String, AttributeValue>> query(String eventId, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        Map<String, String> names = prefix == null ? Map.of("#pk", StatisticsItems.PK)
                : Map.of("#pk", StatisticsItems.PK, "#sk", StatisticsItems.SK);
        Map<String, AttributeValue> values = prefix == null ? Map.of(":pk", StatisticsItems.eventPk(eventId))
                : Map.of(":pk", StatisticsItems.eventPk(eventId), ":prefix", AttributeValue.fromS(prefix));
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression(prefix == null ? "#pk = :pk" : "#pk = :pk AND begins_with(#sk, :prefix)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private boolean put(Map<String, AttributeValue> item, long readVersion) {
        try {
            if (readVersion == 0) {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(NEW_ITEM)
                        .expressionAttributeNames(Map.of("#pk", StatisticsItems.PK)));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(SAME_VERSION)
                        .expressionAttributeNames(Map.of("#ver", StatisticsItems.VERSION))
                        .expressionAttributeValues(Map.of(":ver", AttributeValue.fromN(Long.toString(readVersion)))));
            }
            return true;
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            return false;
        }
    }
}
