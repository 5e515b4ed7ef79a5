package com.headcount.adapters.dynamodb;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The number of active participants of an event, as one counter item in the statistics table
 * ({@code EVENT#id / AGG#PARTICIPANTS}), so neither a batch nor a snapshot has to count 100 000 participants.
 *
 * <p>Exact without transactions (the reference write and the counter are two items): a change does not adjust the
 * count, it only says that one happened ({@link #statusChanged}: {@code ADD changes 1}, after the reference write). A
 * {@link #recount} reads {@code changes}, counts the reference table with a strongly consistent Query, and stores the
 * count with the {@code changes} it started from, only if no change came in meanwhile (else it counts again). The
 * stored count is true when {@code counted = changes}; a reader that finds it otherwise recounts
 * ({@link #isCurrent}). A change whose reference write the count saw and whose {@code ADD} came after the store only
 * costs one more recount: it can never be counted twice, as an {@code ADD} to the count itself could.
 *
 * <p>Cost: one paged COUNT Query of the event's participants after each burst of changes (about 4 KB of read capacity
 * per 25 participants, consistent), by the first statistics batch or API call that needs the number.
 */
public final class ParticipantCounts {

    static final String ACTIVE = "active";
    static final String CHANGES = "changes";
    static final String COUNTED = "counted";
    /** Counts that lost to a change under way: a bulk import would keep winning, so the batch is retried instead. */
    static final int MAX_RECOUNTS = 5;

    private final DynamoDbClient dynamo;
    private final String statsTable;
    private final String referenceTable;

    public ParticipantCounts(DynamoDbClient dynamo, String statsTable, String referenceTable) {
        this.dynamo = dynamo;
        this.statsTable = statsTable;
        this.referenceTable = referenceTable;
    }

    public long active(String eventId) {
        var item = counter(eventId);
        return isCurrent(item) ? Long.parseLong(item.get(ACTIVE).n()) : recount(eventId);
    }

    /** Whether the counter item holds a count that no change has come after. */
    static boolean isCurrent(Map<String, AttributeValue> item) {
        return item != null && item.containsKey(ACTIVE) && number(item, CHANGES) == number(item, COUNTED);
    }

    /** Counts the event's active participants in the reference table and stores the count; see the class comment. */
    public long recount(String eventId) {
        for (int attempt = 1; ; attempt++) {
            long changes = number(counter(eventId), CHANGES);
            long count = countActive(eventId);
            Map<String, AttributeValue> item = new HashMap<>(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS));
            item.put(ACTIVE, AttributeValue.fromN(Long.toString(count)));
            item.put(CHANGES, AttributeValue.fromN(Long.toString(changes)));
            item.put(COUNTED, AttributeValue.fromN(Long.toString(changes)));
            try {
                dynamo.putItem(b -> b.tableName(statsTable).item(item)
                        .conditionExpression("attribute_not_exists(#changes) OR #changes = :changes")
                        .expressionAttributeNames(Map.of("#changes", CHANGES))
                        .expressionAttributeValues(Map.of(":changes", AttributeValue.fromN(Long.toString(changes)))));
                return count;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                if (attempt >= MAX_RECOUNTS) {
                    throw new IllegalStateException("participants of " + eventId + " kept changing during "
                            + MAX_RECOUNTS + " counts; the next call counts again", changedMeanwhile);
                }
            }
        }
    }

    /** One participant's status went from {@code before} (null: new) to {@code after}; call after writing it. */
    public void statusChanged(String eventId, String before, String after) {
        if ("active".equals(before) == "active".equals(after)) return;
        dynamo.updateItem(b -> b.tableName(statsTable)
                .key(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS))
                .updateExpression("ADD #changes :one")
                .expressionAttributeNames(Map.of("#changes", CHANGES))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private Map<String, AttributeValue> counter(String eventId) {
        return dynamo.getItem(b -> b.tableName(statsTable).consistentRead(true)
                .key(StatisticsItems.eventKey(eventId, StatisticsItems.PARTICIPANTS))).item();
    }

    private long countActive(String eventId) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            // strongly consistent: a participant written just before this count must be in it
            var page = dynamo.query(b -> b.tableName(referenceTable).select(Select.COUNT).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :p)")
                    .filterExpression("#status = :active")
                    .expressionAttributeNames(Map.of("#pk", ReferenceItems.PK, "#sk", ReferenceItems.SK, "#status", "status"))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("EVENT#" + eventId),
                            ":p", AttributeValue.fromS("PARTICIPANT#"), ":active", AttributeValue.fromS("active")))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }
}
