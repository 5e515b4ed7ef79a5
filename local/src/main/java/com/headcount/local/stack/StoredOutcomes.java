package com.headcount.local.stack;

import com.headcount.device.simulator.Tally;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the system stored, read back from the scans table: the outcome of each scan of an event, and counts.
 * A full table scan: fine for a local stack's thousands of items, not a production read path (that is the stats API).
 */
public final class StoredOutcomes {

    /** One stored outcome, as far as counting and comparing need it. */
    public record Stored(String scanId, String outcome, String reason) {}

    private final DynamoDbClient dynamo;
    private final String table;

    public StoredOutcomes(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Every event's outcomes, by event id then scan id (malformed messages, which have no scan, left out). */
    public Map<String, Map<String, Stored>> all() {
        Map<String, Map<String, Stored>> byEvent = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(table)
                    .projectionExpression("eventId, scanId, verdict, reason, scannedAt")
                    .exclusiveStartKey(from));
            for (var item : page.items()) {
                if (!item.containsKey("scannedAt") || !item.containsKey("eventId")) continue;
                String scanId = item.get("scanId").s();
                byEvent.computeIfAbsent(item.get("eventId").s(), e -> new HashMap<>()).put(scanId, new Stored(scanId,
                        item.get("verdict").s(), item.containsKey("reason") ? item.get("reason").s() : null));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return byEvent;
    }

    public Map<String, Stored> of(String eventId) {
        return all().getOrDefault(eventId, Map.of());
    }

    public static Tally tally(Map<String, Stored> outcomes) {
        return Tally.of(outcomes.values().stream()
                .map(s -> Map.entry(s.outcome(), s.reason() == null ? "" : s.reason())).toList());
    }

    /** Per event: its tally. */
    public Map<String, Tally> tallies() {
        Map<String, Tally> result = new TreeMap<>();
        all().forEach((event, outcomes) -> result.put(event, tally(outcomes)));
        return result;
    }

}
