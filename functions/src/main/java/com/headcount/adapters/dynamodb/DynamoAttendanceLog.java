package com.headcount.adapters.dynamodb;

import com.headcount.core.api.AttendanceLog;
import com.headcount.core.api.AttendanceQuery;
import com.headcount.core.api.Problem;
import com.headcount.core.decision.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The attendance log: outcomes of one participant or one gate, in scan-time order, from the scans table's
 * {@code byParticipant} and {@code byGate} indexes (see {@link OutcomeItems}). The outcome filter is a
 * FilterExpression, so a page may need several queries; the loop stops at the page size or after a bounded number
 * of rounds and hands back a cursor either way.
 *
 * <p>A gate's log (no participant given) lists the gate's accepted scans: only those are in {@code byGate}. A
 * participant's log lists every outcome, a gate filter beside it included.
 *
 * <p>A log of a whole event needs an index keyed by event; the scans table has none, so a participant or a gate
 * filter is required (the OpenAPI document says so).
 */
public final class DynamoAttendanceLog implements AttendanceLog {

    private static final int MAX_ROUNDS = 10;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAttendanceLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Page query(AttendanceQuery q) {
        boolean byParticipant = q.participantId() != null;
        if (!byParticipant && q.gateId() == null) {
            throw Problem.of(400, "filter_required", "A participant or gate filter is required",
                    "give participantId or gateId (a whole event's log is not indexed)").failure();
        }
        String index = byParticipant ? OutcomeItems.BY_PARTICIPANT : OutcomeItems.BY_GATE;
        String hashName = byParticipant ? OutcomeItems.PARTICIPANT_KEY : OutcomeItems.GATE_KEY;
        String hashValue = q.eventId() + "#" + (byParticipant ? q.participantId() : q.gateId());

        Map<String, String> names = new HashMap<>(Map.of("#h", hashName));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":h", AttributeValue.fromS(hashValue)));
        String keyCondition = "#h = :h";
        if (q.from() != null || q.to() != null) {
            names.put("#t", OutcomeItems.TIME_KEY);
            // time keys are "<fixed-width UTC>#<scanId>": the bare time sorts just before every key of that instant
            String from = OutcomeItems.timeKey(q.from() == null ? Instant.EPOCH : q.from());
            String to = q.to() == null ? "~" : OutcomeItems.timeKey(q.to());
            keyCondition += " AND #t BETWEEN :from AND :to";
            values.put(":from", AttributeValue.fromS(from));
            values.put(":to", AttributeValue.fromS(to));
        }
        List<String> filters = new ArrayList<>();
        if (byParticipant && q.gateId() != null) {
            names.put("#g", "gateId");
            values.put(":g", AttributeValue.fromS(q.gateId()));
            filters.add("#g = :g");
        }
        if (q.outcome() != null) {
            names.put("#v", "verdict");
            values.put(":v", AttributeValue.fromS(q.outcome()));
            filters.add("#v = :v");
        }
        Map<String, AttributeValue> start = q.after() == null ? null : startKey(q.after(), hashName, hashValue);

        List<Outcome> records = new ArrayList<>();
        Map<String, AttributeValue> last = start;
        for (int round = 0; round < MAX_ROUNDS && records.size() < q.limit(); round++) {
            var request = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression(keyCondition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .limit(q.limit() - records.size())
                    .exclusiveStartKey(last);
            if (!filters.isEmpty()) request.filterExpression(String.join(" AND ", filters));
            var response = dynamo.query(request.build());
            response.items().forEach(item -> records.add(OutcomeItems.read(item)));
            last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
            if (last == null) break;
        }
        return new Page(records, last == null ? null : plain(last));
    }

    /** A cursor may only continue the query it came from: same index, same partition, nothing else in it. */
    private static Map<String, AttributeValue> startKey(Map<String, String> after, String hashName, String hashValue) {
        if (!after.keySet().equals(Set.of(OutcomeItems.KEY, hashName, OutcomeItems.TIME_KEY))
                || !hashValue.equals(after.get(hashName))) {
            throw Problem.invalidParameter("cursor: not a cursor of this query (take it from nextCursor)").failure();
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        after.forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
        return key;
    }

    private static Map<String, String> plain(Map<String, AttributeValue> key) {
        Map<String, String> m = new LinkedHashMap<>();
        key.forEach((k, v) -> m.put(k, v.s()));
        return m;
    }
}
