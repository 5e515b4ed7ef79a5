package com.headcount.adapters.dynamodb;

import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.api.EventCatalog;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Reads reference data with BatchGetItem (100 keys a request) and writes it for set-up and imports. */
public final class DynamoReferenceData implements EventCatalog {

    private final DynamoDbClient dynamo;
    private final String table;
    private final boolean consistent;

    public DynamoReferenceData(DynamoDbClient dynamo, String table) {
        this(dynamo, table, false);
    }

    /** @param consistent strongly consistent reads (twice the read cost): for a caller that must not miss a new item */
    public DynamoReferenceData(DynamoDbClient dynamo, String table, boolean consistent) {
        this.dynamo = dynamo;
        this.table = table;
        this.consistent = consistent;
    }

    @Override
    public ReferenceSet lookup(Collection<? extends ReferenceKey> keys) {
        Map<ReferenceKey, Object> found = new HashMap<>();
        List<Map<String, AttributeValue>> itemKeys = new LinkedHashSet<>(keys).stream().map(ReferenceItems::key).toList();
        for (var chunk : Batches.chunks(itemKeys, Batches.MAX_BATCH_GET)) {
            for (var item : Batches.getAll(dynamo, table, chunk, consistent)) {
                var entry = ReferenceItems.read(item);
                found.put(entry.getKey(), entry.getValue());
            }
        }
        return new ReferenceSet(found);
    }

    @Override
    public void save(AttendanceEvent event) {
        dynamo.putItem(b -> b.tableName(table).item(ReferenceItems.item(event)));
    }

    @Override
    public void save(AttendanceEvent event, EdgePolicy edge) {
        dynamo.putItem(b -> b.tableName(table).item(ReferenceItems.item(event, edge)));
    }

    @Override
    public EdgePolicy edgePolicy(String eventId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(ReferenceItems.key(new ReferenceKey.OfEvent(eventId)))
                .projectionExpression("edgeMaxAgeSeconds, edgeWhenStale").consistentRead(consistent));
        return ReferenceItems.edgePolicy(item.hasItem() ? item.item() : Map.of());
    }

    @Override
    public void save(Gate gate) {
        dynamo.putItem(b -> b.tableName(table).item(ReferenceItems.item(gate)));
    }

    /** Bulk import: BatchWriteItem, 25 items a request, unprocessed items retried. */
    public void saveAll(Collection<Participant> participants) {
        List<WriteRequest> writes = new ArrayList<>(participants.size());
        for (Participant p : participants) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(ReferenceItems.item(p)).build()).build());
        }
        Batches.writeAll(dynamo, table, writes);
    }
}
