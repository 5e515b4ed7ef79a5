package com.headcount.adapters.dynamodb;

import com.headcount.core.decision.FailureClassifier.TransientFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchGetItem and BatchWriteItem, with their limits and their unprocessed leftovers handled in one place.
 * DynamoDB returns leftovers under throttling instead of failing; they are retried with a short backoff, and still
 * having some after that is a transient failure (the batch is delivered again).
 */
final class Batches {

    static final int MAX_BATCH_GET = 100;
    static final int MAX_BATCH_WRITE = 25;
    private static final int MAX_ROUNDS = 8;

    private Batches() {}

    static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) chunks.add(all.subList(i, Math.min(all.size(), i + size)));
        return chunks;
    }

    static List<Map<String, AttributeValue>> getAll(DynamoDbClient dynamo, String table,
                                                    List<Map<String, AttributeValue>> keys, boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        KeysAndAttributes pending = KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build();
        for (int round = 0; pending != null && pending.hasKeys() && !pending.keys().isEmpty(); round++) {
            if (round == MAX_ROUNDS) throw new TransientFailure("BatchGetItem left keys unprocessed " + MAX_ROUNDS + " times");
            backOff(round);
            var request = pending;
            var response = dynamo.batchGetItem(b -> b.requestItems(Map.of(table, request)));
            items.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.unprocessedKeys().get(table);
        }
        return items;
    }

    static void writeAll(DynamoDbClient dynamo, String table, List<WriteRequest> writes) {
        for (var chunk : chunks(writes, MAX_BATCH_WRITE)) {
            List<WriteRequest> pending = chunk;
            for (int round = 0; !pending.isEmpty(); round++) {
                if (round == MAX_ROUNDS) throw new TransientFailure("BatchWriteItem left items unprocessed " + MAX_ROUNDS + " times");
                backOff(round);
                var request = pending;
                var response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, request)));
                pending = response.unprocessedItems().getOrDefault(table, List.of());
            }
        }
    }

    private static void backOff(int round) {
        if (round == 0) return;
        try {
            Thread.sleep(Math.min(1000, 25L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while retrying a batch", e);
        }
    }
}
