package com.headcount.adapters.dynamodb;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeLog;
import com.headcount.core.decision.ScanRef;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Outcomes in the scans table; see {@link OutcomeItems} for the key design. */
public final class DynamoOutcomeLog implements OutcomeLog {

    /** The first outcome of a scan id wins; later deliveries read it instead of writing their own. */
    static final String FIRST_OUTCOME_ONLY = "attribute_not_exists(#key)";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOutcomeLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Map<ScanRef, Outcome> find(Collection<ScanRef> scans) {
        Map<ScanRef, Outcome> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = scans.stream().distinct().map(OutcomeItems::key).toList();
        for (var chunk : Batches.chunks(keys, Batches.MAX_BATCH_GET)) {
            // Consistent: an outcome written a moment ago by a retried or racing delivery must be seen.
            for (var item : Batches.getAll(dynamo, table, chunk, true)) {
                Outcome outcome = OutcomeItems.read(item);
                found.put(outcome.ref(), outcome);
            }
        }
        return found;
    }

    @Override
    public Outcome recordFirst(Outcome outcome) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(OutcomeItems.item(outcome))
                    .conditionExpression(FIRST_OUTCOME_ONLY)
                    .expressionAttributeNames(Map.of("#key", OutcomeItems.KEY))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return outcome;
        } catch (ConditionalCheckFailedException e) {
            // DynamoDB hands back the stored item; emulators without that feature need one more read.
            if (e.hasItem() && !e.item().isEmpty()) return OutcomeItems.read(e.item());
            var stored = dynamo.getItem(b -> b.tableName(table).key(OutcomeItems.key(outcome)).consistentRead(true));
            return OutcomeItems.read(stored.item());
        }
    }

    @Override
    public void recordRefused(Collection<Outcome> outcomes) {
        List<WriteRequest> writes = outcomes.stream()
                .map(o -> WriteRequest.builder().putRequest(PutRequest.builder().item(OutcomeItems.item(o)).build()).build())
                .toList();
        Batches.writeAll(dynamo, table, writes);
    }

    /** Reads one outcome, for the API and for tests. */
    public java.util.Optional<Outcome> get(ScanRef ref) {
        var response = dynamo.getItem(b -> b.tableName(table).key(OutcomeItems.key(ref)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? java.util.Optional.of(OutcomeItems.read(response.item()))
                : java.util.Optional.empty();
    }
}
