package com.headcount.adapters.dynamodb;

import com.headcount.core.dashboard.Connections;
import com.headcount.core.dashboard.DashboardConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Dashboard connections: one item per connection ({@code connectionId}) with its event, subject, sections (a string
 * set, so a subscription is one ADD), {@code connectedAt} (epoch millis) and {@code expiresAt} (epoch seconds, the
 * TTL); the index {@link #BY_EVENT} ({@code eventId}, {@code connectionId}) lists an event's connections for the
 * broadcaster. A TTL deletes late, so expired items are left out when read.
 */
public final class DynamoConnections implements Connections {

    public static final String DEFAULT_TABLE = "headcount-connections";
    public static final String KEY = "connectionId";
    public static final String BY_EVENT = "byEvent";
    public static final String EVENT = "eventId";
    public static final String TTL = "expiresAt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoConnections(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void add(DashboardConnection c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(c.connectionId()));
        item.put(EVENT, AttributeValue.fromS(c.eventId()));
        if (c.subject() != null) item.put("subject", AttributeValue.fromS(c.subject()));
        item.put("sections", AttributeValue.fromSs(List.copyOf(c.sections())));
        item.put("connectedAt", AttributeValue.fromN(Long.toString(c.connectedAt().toEpochMilli())));
        item.put(TTL, AttributeValue.fromN(Long.toString(c.expiresAt().getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<DashboardConnection> remove(String connectionId) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(connectionId)).returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(connection(old));
    }

    @Override
    public Optional<DashboardConnection> find(String connectionId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(connectionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : live(item);
    }

    @Override
    public Optional<DashboardConnection> subscribe(String connectionId, Set<String> sections) {
        try {
            var attributes = dynamo.updateItem(b -> b.tableName(table).key(key(connectionId))
                    .updateExpression("ADD #s :s")
                    .conditionExpression("attribute_exists(#k)")
                    .expressionAttributeNames(Map.of("#s", "sections", "#k", KEY))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromSs(List.copyOf(sections))))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return live(attributes);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<DashboardConnection> of(String eventId) {
        List<DashboardConnection> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> b.tableName(table).indexName(BY_EVENT)
                    .keyConditionExpression("#e = :e")
                    .expressionAttributeNames(Map.of("#e", EVENT))
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(eventId)))
                    .exclusiveStartKey(from));
            // expired ones too: the broadcaster closes them, which a TTL deleting the item late would not
            for (var item : page.items()) found.add(connection(item));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    private Optional<DashboardConnection> live(Map<String, AttributeValue> item) {
        DashboardConnection c = connection(item);
        return clock.instant().isBefore(c.expiresAt()) ? Optional.of(c) : Optional.empty();
    }

    private static DashboardConnection connection(Map<String, AttributeValue> item) {
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n()));
        return new DashboardConnection(item.get(KEY).s(), item.get(EVENT).s(),
                item.containsKey("subject") ? item.get("subject").s() : null, Set.copyOf(item.get("sections").ss()),
                Instant.ofEpochMilli(Long.parseLong(item.get("connectedAt").n())), expiresAt);
    }

    private static Map<String, AttributeValue> key(String connectionId) {
        return Map.of(KEY, AttributeValue.fromS(connectionId));
    }
}
