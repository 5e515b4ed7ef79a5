package com.headcount.bench.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

/**
 * An SDK interceptor on one function's clients that charges every request to the {@link Ledger}, with the capacity
 * DynamoDB would bill for it ({@link Billing}). The emulators report no ConsumedCapacity, so the sizes are taken from
 * the items themselves: a write's item before it is read first through a client of our own (not metered), an update's
 * result after it. Those reads double the emulator's work, not the bill.
 */
public final class CapacityMeter implements ExecutionInterceptor {

    private static final ExecutionAttribute<List<Map<String, AttributeValue>>> BEFORE =
            new ExecutionAttribute<>("headcount.cost.before");

    private final String stage;
    private final Ledger ledger;
    private final DynamoDbClient probe;
    private final Map<String, Billing.Table> tables = new ConcurrentHashMap<>();

    /** @param probe an unmetered client on the same DynamoDB, for item sizes and table descriptions */
    public CapacityMeter(String stage, Ledger ledger, DynamoDbClient probe) {
        this.stage = stage;
        this.ledger = ledger;
        this.probe = probe;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<Map<String, AttributeValue>> before = switch (context.request()) {
            case PutItemRequest r -> one(existing(r.tableName(), keyOf(r.tableName(), r.item())));
            case UpdateItemRequest r -> one(existing(r.tableName(), r.key()));
            case DeleteItemRequest r -> one(existing(r.tableName(), r.key()));
            case BatchWriteItemRequest r -> {
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                r.requestItems().forEach((table, writes) -> writes.forEach(w -> items.add(existing(table, keyOf(table, w)))));
                yield items;
            }
            default -> null;
        };
        if (before != null) attributes.putAttribute(BEFORE, before);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
        switch (request) {
            case PutItemRequest r -> write(r.tableName(), operation, scanIdOf(r.item(), null), before.getFirst(), r.item());
            case UpdateItemRequest r -> write(r.tableName(), operation, scanIdOf(null, r.expressionAttributeValues()),
                    before.getFirst(), existing(r.tableName(), r.key()));
            case DeleteItemRequest r -> write(r.tableName(), operation, scanIdOf(null, r.expressionAttributeValues()),
                    before.getFirst(), null);
            case BatchWriteItemRequest r -> batchWrite(r, operation, before);
            case GetItemRequest r -> {
                var item = ((GetItemResponse) context.response()).item();
                double units = Billing.itemReadUnits(Billing.bytes(item), Boolean.TRUE.equals(r.consistentRead()));
                ledger.charge(ledger.line(stage, null, unattributed(), r.tableName(), operation), 0, units);
            }
            case BatchGetItemRequest r -> batchGet(r, (BatchGetItemResponse) context.response(), operation);
            case QueryRequest r -> {
                int bytes = ((QueryResponse) context.response()).items().stream().mapToInt(Billing::bytes).sum();
                ledger.charge(ledger.line(stage, null, unattributed(), target(r.tableName(), r.indexName()), operation), 0,
                        Billing.queryReadUnits(bytes, Boolean.TRUE.equals(r.consistentRead())));
            }
            case ScanRequest r -> {
                int bytes = ((ScanResponse) context.response()).items().stream().mapToInt(Billing::bytes).sum();
                ledger.charge(ledger.line(stage, null, unattributed(), target(r.tableName(), r.indexName()), operation), 0,
                        Billing.queryReadUnits(bytes, Boolean.TRUE.equals(r.consistentRead())));
            }
            case PutRecordsRequest r -> {
                var cost = ledger.line(stage, null, kinesisDefault(), "kinesis:" + r.streamName(), operation);
                ledger.charge(cost, 0, 0);
                long kb = 0;
                long bytes = 0;
                for (var e : r.records()) {
                    long size = e.data().asByteArray().length + e.partitionKey().length();
                    bytes += size;
                    kb += (size + 1023) / 1024;
                }
                ledger.chargeRecords(cost, r.records().size(), kb, bytes);
            }
            case PutRecordRequest r -> {
                var cost = ledger.line(stage, null, kinesisDefault(), "kinesis:" + r.streamName(), operation);
                ledger.charge(cost, 0, 0);
                long size = r.data().asByteArray().length + r.partitionKey().length();
                ledger.chargeRecords(cost, 1, (size + 1023) / 1024, size);
            }
            default -> ledger.charge(ledger.line(stage, null, unattributed(),
                    attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), operation), 0, 0);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
        if (!(context.exception() instanceof ConditionalCheckFailedException) || before == null) return;
        String table;
        String scanId;
        switch (context.request()) {
            case PutItemRequest r -> { table = r.tableName(); scanId = scanIdOf(r.item(), null); }
            case UpdateItemRequest r -> { table = r.tableName(); scanId = scanIdOf(null, r.expressionAttributeValues()); }
            case DeleteItemRequest r -> { table = r.tableName(); scanId = scanIdOf(null, r.expressionAttributeValues()); }
            default -> { return; }
        }
        ledger.charge(ledger.line(stage, scanId, unattributed(), table, operation + " (condition failed)"),
                Billing.failedWriteUnits(before.getFirst()), 0);
    }

    private void write(String table, String operation, String scanId, Map<String, AttributeValue> before,
                       Map<String, AttributeValue> after) {
        Billing.Table t = table(table);
        ledger.charge(ledger.line(stage, scanId, unattributed(), table, operation), Billing.writeUnits(before, after), 0);
        for (Billing.Index index : t.indexes()) {
            double units = Billing.indexWriteUnits(index, t.keys(), before, after);
            if (units > 0) {
                // the index write is part of the same request: capacity only
                ledger.line(stage, scanId, unattributed(), target(table, index.name()), operation).wru.add(units);
            }
        }
    }

    private void batchWrite(BatchWriteItemRequest r, String operation, List<Map<String, AttributeValue>> before) {
        int i = 0;
        boolean first = true;
        for (var entry : r.requestItems().entrySet()) {
            Billing.Table t = table(entry.getKey());
            for (WriteRequest w : entry.getValue()) {
                Map<String, AttributeValue> after = w.putRequest() != null ? w.putRequest().item() : null;
                String scanId = scanIdOf(after, null);
                var cost = ledger.line(stage, scanId, unattributed(), entry.getKey(), operation);
                // one request for the whole batch, charged where its first item went
                if (first) cost.requests.increment();
                first = false;
                cost.wru.add(Billing.writeUnits(before.get(i), after));
                for (Billing.Index index : t.indexes()) {
                    double units = Billing.indexWriteUnits(index, t.keys(), before.get(i), after);
                    if (units > 0) ledger.line(stage, scanId, unattributed(), target(entry.getKey(), index.name()), operation).wru.add(units);
                }
                i++;
            }
        }
    }

    private void batchGet(BatchGetItemRequest r, BatchGetItemResponse response, String operation) {
        boolean first = true;
        for (var entry : r.requestItems().entrySet()) {
            String table = entry.getKey();
            boolean consistent = Boolean.TRUE.equals(entry.getValue().consistentRead());
            var unprocessed = response.unprocessedKeys().get(table);
            int asked = entry.getValue().keys().size() - (unprocessed == null ? 0 : unprocessed.keys().size());
            List<Map<String, AttributeValue>> found = response.responses().getOrDefault(table, List.of());
            double units = found.stream().mapToDouble(item -> Billing.itemReadUnits(Billing.bytes(item), consistent)).sum()
                    + Math.max(0, asked - found.size()) * Billing.itemReadUnits(0, consistent);
            var cost = ledger.line(stage, null, unattributed(), table, operation);
            if (first) cost.requests.increment();
            first = false;
            cost.rru.add(units);
        }
    }

    /** A request that names no scan: the statistics only ever see accepted scans; ingest's are shared by its batch. */
    private String unattributed() {
        return stage.equals("stats") ? "accepted" : "shared";
    }

    private String kinesisDefault() {
        // ingest publishes only accepted scans; the statistics publish snapshots, which are per batch
        return stage.equals("ingest") ? "accepted" : unattributed();
    }

    private Billing.Table table(String name) {
        return tables.computeIfAbsent(name, n -> {
            var d = probe.describeTable(b -> b.tableName(n)).table();
            List<String> keys = d.keySchema().stream()
                    .sorted((a, b) -> a.keyType() == KeyType.HASH ? -1 : 1).map(k -> k.attributeName()).toList();
            List<Billing.Index> indexes = !d.hasGlobalSecondaryIndexes() ? List.of() : d.globalSecondaryIndexes().stream()
                    .map(g -> new Billing.Index(g.indexName(), g.keySchema().stream().map(k -> k.attributeName()).toList(),
                            Billing.Index.Projection.valueOf(g.projection().projectionTypeAsString()),
                            g.projection().hasNonKeyAttributes() ? java.util.Set.copyOf(g.projection().nonKeyAttributes())
                                    : java.util.Set.of()))
                    .toList();
            return new Billing.Table(n, keys, indexes);
        });
    }

    private Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new java.util.HashMap<>();
        for (String k : table(table).keys()) key.put(k, item.get(k));
        return key;
    }

    private Map<String, AttributeValue> keyOf(String table, WriteRequest w) {
        return w.putRequest() != null ? keyOf(table, w.putRequest().item()) : w.deleteRequest().key();
    }

    private Map<String, AttributeValue> existing(String table, Map<String, AttributeValue> key) {
        var response = probe.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    /** A list that holds an absent item as null. */
    private static List<Map<String, AttributeValue>> one(Map<String, AttributeValue> item) {
        List<Map<String, AttributeValue>> list = new ArrayList<>(1);
        list.add(item);
        return list;
    }

    private static String scanIdOf(Map<String, AttributeValue> item, Map<String, AttributeValue> values) {
        AttributeValue v = item != null ? item.get("scanId") : values != null ? values.get(":scanId") : null;
        return v == null ? null : v.s();
    }

    private static String target(String table, String index) {
        return index == null ? table : table + "/" + index;
    }
}
