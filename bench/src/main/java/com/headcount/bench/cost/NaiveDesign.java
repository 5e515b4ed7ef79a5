package com.headcount.bench.cost;

import com.headcount.adapters.dynamodb.HeadcountTables;
import com.headcount.adapters.dynamodb.OutcomeItems;
import com.headcount.adapters.dynamodb.ReferenceItems;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.local.emulator.LocalAws;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The per-scan flow Headcount started from, written for the cost comparison only (never deployed): one Lambda
 * invocation per IoT message, and for each scan: read the participant, read the gate, query the participant's scans
 * to find a recent one, write the record with both of its indexes (projecting everything), publish the decision, and
 * recompute the statistics by reading and writing the event's statistics item back.
 *
 * <p>Charitable on purpose: the participant query also tells whether the participant was counted before (no second
 * query), and "recompute" is a read-modify-write of one item, not a recount from the stored scans (which reads every
 * scan of the event again for each scan: see BENCHMARKS.md for that on paper). It has no redelivery, race or
 * exactly-once guarantees at all; a retry would count twice.
 */
public final class NaiveDesign {

    static final String SCANS = "naive-scans";
    static final String STATS = "naive-statistics";

    private final DynamoDbClient dynamo;
    private final String referenceTable;
    /** Decisions published back to gates: one IoT message each. */
    private long published;

    public NaiveDesign(DynamoDbClient dynamo, String referenceTable) {
        this.dynamo = dynamo;
        this.referenceTable = referenceTable;
    }

    /** The record table as the seed had it (the product's own scans table schema) and a statistics table. */
    public static void createTables(DynamoDbClient admin) {
        LocalAws.createTable(admin, HeadcountTables.scans(SCANS));
        LocalAws.createTable(admin, CreateTableRequest.builder().tableName(STATS).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()).build());
    }

    public Outcome decide(String sourceId, Scan scan, Instant receivedAt) {
        Instant now = Instant.now();
        var participant = dynamo.getItem(b -> b.tableName(referenceTable)
                .key(ReferenceItems.key(new ReferenceKey.OfParticipant(scan.eventId(), scan.participantId())))).item();
        dynamo.getItem(b -> b.tableName(referenceTable)
                .key(ReferenceItems.key(new ReferenceKey.OfGate(scan.eventId(), scan.gateId()))));
        Outcome outcome;
        if (participant == null || participant.isEmpty()) {
            outcome = Outcome.rejected(sourceId, scan, RejectReason.PARTICIPANT_NOT_FOUND, null, receivedAt, now);
        } else if (!"active".equals(participant.get("status") == null ? null : participant.get("status").s())) {
            outcome = Outcome.rejected(sourceId, scan, RejectReason.PARTICIPANT_INACTIVE, null, receivedAt, now);
        } else {
            var earlier = dynamo.query(b -> b.tableName(SCANS).indexName(OutcomeItems.BY_PARTICIPANT)
                    .keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", OutcomeItems.PARTICIPANT_KEY))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(scan.eventId() + "#" + scan.participantId()))))
                    .items();
            long at = scan.scannedAt().toEpochMilli();
            var first = earlier.stream()
                    .filter(i -> "accepted".equals(i.get("verdict").s()) && scan.gateId().equals(i.get("gateId").s())
                            && scan.direction().wireName().equals(i.get("direction").s())
                            && Math.abs(Long.parseLong(i.get("scannedAtMillis").n()) - at) <= 300_000)
                    .findFirst();
            outcome = first.isPresent()
                    ? Outcome.duplicate(sourceId, scan, first.get().get("scanId").s(),
                            Instant.ofEpochMilli(Long.parseLong(first.get().get("scannedAtMillis").n())), receivedAt, now)
                    : Outcome.accepted(sourceId, scan, receivedAt, now);
            if (outcome.isAccepted()) {
                boolean counted = earlier.stream().anyMatch(i -> "accepted".equals(i.get("verdict").s()));
                recompute(scan, !counted);
            }
        }
        // the seed put every record into both indexes, whatever its outcome
        Map<String, AttributeValue> record = new HashMap<>(OutcomeItems.item(outcome));
        record.put(OutcomeItems.GATE_KEY, AttributeValue.fromS(scan.eventId() + "#" + scan.gateId()));
        dynamo.putItem(b -> b.tableName(SCANS).item(record));
        published++;
        return outcome;
    }

    private void recompute(Scan scan, boolean newAttendee) {
        var key = Map.of("pk", AttributeValue.fromS(scan.eventId()));
        var stored = dynamo.getItem(b -> b.tableName(STATS).key(key).consistentRead(true)).item();
        Map<String, AttributeValue> item = new HashMap<>(stored == null || stored.isEmpty() ? key : stored);
        boolean entry = scan.direction() == Direction.ENTRY;
        add(item, "attended", newAttendee && entry ? 1 : 0);
        add(item, "inside", entry ? 1 : -1);
        add(item, "gate#" + scan.gateId(), 1);
        add(item, "hour#" + scan.scannedAt().getEpochSecond() / 3600, 1);
        add(item, "method#" + scan.method().wireName(), 1);
        dynamo.putItem(b -> b.tableName(STATS).item(item));
    }

    private static void add(Map<String, AttributeValue> item, String name, long delta) {
        long before = item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
        item.put(name, AttributeValue.fromN(Long.toString(before + delta)));
    }

    public long published() {
        return published;
    }
}
