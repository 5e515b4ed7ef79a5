package com.headcount.adapters.dynamodb;

import com.headcount.core.dashboard.Quotas;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The dashboards' counters, kept in the tickets table beside the tickets (keys {@code quota#...}, which a ticket's
 * hex hash never is): one UpdateItem each, conditional on the ceiling, so counting costs no read and no scan.
 */
public final class DynamoQuotas implements Quotas {

    private static final String COUNT = "n";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoQuotas(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean take(String key, int cap, Instant removeAfter) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(key))
                    .updateExpression("ADD #n :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#n) OR #n < :cap")
                    .expressionAttributeNames(Map.of("#n", COUNT, "#ttl", DynamoConnectTickets.TTL))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":cap", AttributeValue.fromN(Integer.toString(cap)),
                            ":ttl", AttributeValue.fromN(Long.toString(removeAfter.getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void release(String key) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(key))
                    .updateExpression("ADD #n :minus")
                    .conditionExpression("#n > :zero")
                    .expressionAttributeNames(Map.of("#n", COUNT))
                    .expressionAttributeValues(Map.of(":minus", AttributeValue.fromN("-1"), ":zero", AttributeValue.fromN("0"))));
        } catch (ConditionalCheckFailedException e) {
            // at zero or gone (its TTL passed): nothing to give back
        }
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(DynamoConnectTickets.KEY, AttributeValue.fromS(key));
    }
}
