package com.headcount.adapters.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The number of active participants of an event, as one counter item in the statistics table
 * ({@code EVENT#id / AGG#PARTICIPANTS}), so neither a batch nor a snapshot has to count 100 000 participants.
 *
 * <p>Who changes participants keeps it right: after a bulk import call {@link #recount}; after one participant's
 * status changed (a conditional write that saw the old status) call {@link #statusChanged}. A missing counter is
 * recounted on first use.
 */
public final class ParticipantCounts {

    private final DynamoDbClient dynamo;
    private final String statsTable;
    private final String referenceTable;

    public ParticipantCounts(DynamoDbClient dynamo, String statsTable, String referenceTable) {
        this.dynamo = dynamo;
        this.statsTable = statsTable;
        this.referenceTable = referenceTable;
    }

    public long active(String eventId) {
        var item = dynamo.getItem(b -> b.tableName(statsTable).consistentRead(true)
                .key(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS))).item();
        if (item != null && item.containsKey("active")) return Long.parseLong(item.get("active").n());
        return recount(eventId);
    }

    /** Counts the event's active participants in the reference table (a paged COUNT query) and stores the result. */
    public long recount(String eventId) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> b.tableName(referenceTable).select(Select.COUNT)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :p)")
                    .filterExpression("#status = :active")
                    .expressionAttributeNames(Map.of("#pk", ReferenceItems.PK, "#sk", ReferenceItems.SK, "#status", "status"))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("EVENT#" + eventId),
                            ":p", AttributeValue.fromS("PARTICIPANT#"), ":active", AttributeValue.fromS("active")))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Map<String, AttributeValue> item = new java.util.HashMap<>(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS));
        item.put("active", AttributeValue.fromN(Long.toString(count)));
        dynamo.putItem(b -> b.tableName(statsTable).item(item));
        return count;
    }

    /** One participant's status went from {@code before} (null: new) to {@code after}. */
    public void statusChanged(String eventId, String before, String after) {
        int delta = ("active".equals(after) ? 1 : 0) - ("active".equals(before) ? 1 : 0);
        if (delta == 0) return;
        if (dynamo.getItem(b -> b.tableName(statsTable).consistentRead(true)
                .key(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS))).item().isEmpty()) {
            recount(eventId); // the change is already in the reference table, so the count includes it
            return;
        }
        dynamo.updateItem(b -> b.tableName(statsTable)
                .key(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS))
                .updateExpression("ADD #active :d")
                .expressionAttributeNames(Map.of("#active", "active"))
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromN(Integer.toString(delta)))));
    }
}
