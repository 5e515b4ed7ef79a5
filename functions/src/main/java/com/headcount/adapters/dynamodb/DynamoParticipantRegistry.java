package com.headcount.adapters.dynamodb;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.api.ParticipantRegistry;
import com.headcount.core.reference.Participant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Participant imports into the reference table: rows in BatchWriteItem requests of 25, several in flight at once
 * (the import is bound by round trips, not by CPU), and one status item per import ({@code sk IMPORT#id}) that a
 * client can poll, so the same adapter serves the synchronous route and an asynchronous import function.
 */
public final class DynamoParticipantRegistry implements ParticipantRegistry {

    private final DynamoDbClient dynamo;
    private final String table;
    private final ExecutorService writers;
    private final ParticipantCounts counts;

    public DynamoParticipantRegistry(DynamoDbClient dynamo, String referenceTable, String statisticsTable,
                                     ExecutorService writers) {
        this.dynamo = dynamo;
        this.table = referenceTable;
        this.writers = writers;
        this.counts = new ParticipantCounts(dynamo, statisticsTable, referenceTable);
    }

    @Override
    public void recount(String eventId) {
        counts.recount(eventId);
    }

    @Override
    public void statusChanged(String eventId, String before, String after) {
        counts.statusChanged(eventId, before, after);
    }

    /** Writes one chunk of participants, its batch writes in parallel; returns when all are stored. */
    @Override
    public void write(List<Participant> participants) {
        List<WriteRequest> writes = new ArrayList<>(participants.size());
        for (Participant p : participants) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(ReferenceItems.item(p)).build()).build());
        }
        List<Future<?>> inFlight = new ArrayList<>();
        for (var chunk : Batches.chunks(writes, Batches.MAX_BATCH_WRITE)) {
            inFlight.add(writers.submit(() -> Batches.writeAll(dynamo, table, chunk)));
        }
        for (Future<?> f : inFlight) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while importing", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void started(String eventId, String importId, String format, Instant at) {
        Map<String, AttributeValue> item = key(eventId, importId);
        item.put("importId", AttributeValue.fromS(importId));
        item.put("status", AttributeValue.fromS("running"));
        item.put("format", AttributeValue.fromS(format));
        item.put("startedAt", AttributeValue.fromS(at.toString()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public void finished(String eventId, String importId, String status, Map<String, Object> report, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":s", AttributeValue.fromS(status));
        values.put(":r", AttributeValue.fromS(json(report)));
        values.put(":f", AttributeValue.fromS(at.toString()));
        dynamo.updateItem(b -> b.tableName(table).key(key(eventId, importId))
                .updateExpression("SET #s = :s, #r = :r, #f = :f")
                .expressionAttributeNames(Map.of("#s", "status", "#r", "report", "#f", "finishedAt"))
                .expressionAttributeValues(values));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> importStatus(String eventId, String importId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(eventId, importId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) return Optional.empty();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("importId", importId);
        m.put("eventId", eventId);
        for (String name : List.of("status", "format", "startedAt", "finishedAt")) {
            if (item.get(name) != null) m.put(name, item.get(name).s());
        }
        if (item.get("report") != null) {
            try {
                m.put("report", JSON.std.mapFrom(item.get("report").s()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(m);
    }

    /**
     * Sets a known participant's status.
     *
     * @return the status it had before (so the active count can follow); empty when the participant does not exist
     */
    @Override
    public Optional<String> setStatus(String eventId, String participantId, String status) {
        try {
            var old = dynamo.putItem(b -> b.tableName(table)
                    .item(ReferenceItems.item(new Participant(eventId, participantId, status)))
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", ReferenceItems.PK))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes();
            return Optional.of(old.get("status").s());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> key(String eventId, String importId) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(ReferenceItems.PK, AttributeValue.fromS("EVENT#" + eventId));
        key.put(ReferenceItems.SK, AttributeValue.fromS("IMPORT#" + importId));
        return key;
    }

    private static String json(Map<String, Object> report) {
        try {
            return JSON.std.asString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
