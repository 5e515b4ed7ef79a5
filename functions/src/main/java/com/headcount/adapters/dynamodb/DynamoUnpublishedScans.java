package com.headcount.adapters.dynamodb;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.UnpublishedScans;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The note "accepted, stored, not yet published" is an attribute on the outcome item itself ({@code unpublished}),
 * read through the sparse index {@code byUnpublished}: only noted items are in it, so it costs nothing while
 * publishing works, and setting the note aside costs one write per scan when it does not.
 */
public final class DynamoUnpublishedScans implements UnpublishedScans {

    public static final String ATTRIBUTE = "unpublished";
    public static final String INDEX = "byUnpublished";
    static final String WAITING = "waiting";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUnpublishedScans(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void setAside(List<Outcome> accepted) {
        for (Outcome o : accepted) {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(OutcomeItems.key(o))
                        .updateExpression("SET #u = :waiting")
                        .conditionExpression("attribute_exists(#key)")
                        .expressionAttributeNames(Map.of("#u", ATTRIBUTE, "#key", OutcomeItems.KEY))
                        .expressionAttributeValues(Map.of(":waiting", AttributeValue.fromS(WAITING))));
            } catch (ConditionalCheckFailedException notStored) {
                // nothing stored, so nothing to publish
            }
        }
    }

    @Override
    public List<Outcome> waiting(int limit) {
        var page = dynamo.query(b -> b.tableName(table).indexName(INDEX).limit(limit)
                .keyConditionExpression("#u = :waiting")
                .expressionAttributeNames(Map.of("#u", ATTRIBUTE))
                .expressionAttributeValues(Map.of(":waiting", AttributeValue.fromS(WAITING))));
        return page.items().stream().map(OutcomeItems::read).toList();
    }

    @Override
    public void published(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            dynamo.updateItem(b -> b.tableName(table).key(OutcomeItems.key(o))
                    .updateExpression("REMOVE #u")
                    .expressionAttributeNames(Map.of("#u", ATTRIBUTE)));
        }
    }
}
