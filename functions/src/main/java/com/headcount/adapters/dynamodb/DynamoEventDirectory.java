package com.headcount.adapters.dynamodb;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.stats.EventDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Events and their gates as the statistics read them from the reference table: the running ones through the sparse
 * index {@value ReferenceItems#BY_STATS_WINDOW} (one Query for all, an ended event is below the key range), an
 * event with its gates through one Query of its partition.
 */
public final class DynamoEventDirectory implements EventDirectory {

    /** An event with its gates; the event is null when it does not exist. */
    public record EventAndGates(AttendanceEvent event, List<Gate> gates) {}

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoEventDirectory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<AttendanceEvent> running(Instant now) {
        List<AttendanceEvent> events = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        AttributeValue at = AttributeValue.fromN(Long.toString(now.toEpochMilli()));
        do {
            Map<String, AttributeValue> from = start;
            // events not ended yet by the key; those whose doors are not open yet by the filter
            var page = dynamo.query(b -> b.tableName(table).indexName(ReferenceItems.BY_STATS_WINDOW)
                    .keyConditionExpression("#index = :events AND #until >= :now")
                    .filterExpression("#from <= :now")
                    .expressionAttributeNames(Map.of("#index", ReferenceItems.STATS_INDEX,
                            "#until", ReferenceItems.STATS_UNTIL, "#from", ReferenceItems.STATS_FROM))
                    .expressionAttributeValues(Map.of(":events", AttributeValue.fromS(ReferenceItems.EVENTS), ":now", at))
                    .exclusiveStartKey(from));
            for (var item : page.items()) {
                if (ReferenceItems.read(item).getValue() instanceof AttendanceEvent e) events.add(e);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return events;
    }

    @Override
    public List<Gate> gates(String eventId) {
        return eventAndGates(eventId).gates();
    }

    public EventAndGates eventAndGates(String eventId) {
        AttendanceEvent event = null;
        List<Gate> gates = new ArrayList<>();
        // "EVENT" and "GATE#..." sort before "PARTICIPANT#...": the event and its gates without any participant
        var items = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk < :p")
                .expressionAttributeNames(Map.of("#pk", ReferenceItems.PK, "#sk", ReferenceItems.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("EVENT#" + eventId),
                        ":p", AttributeValue.fromS("H")))).items();
        for (var item : items) {
            Object value = ReferenceItems.read(item).getValue();
            if (value instanceof AttendanceEvent e) event = e;
            if (value instanceof Gate g) gates.add(g);
        }
        return new EventAndGates(event, gates);
    }
}
