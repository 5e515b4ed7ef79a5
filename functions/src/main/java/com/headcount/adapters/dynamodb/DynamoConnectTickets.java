package com.headcount.adapters.dynamodb;

import com.headcount.core.dashboard.ConnectTicket;
import com.headcount.core.dashboard.ConnectTickets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Connect tickets: one item per ticket hash ({@code ticketHash}), its event, the token's subject, {@code validUntil}
 * (epoch millis) and {@code expiresAt} (epoch seconds, the table's TTL). Taking a ticket is one DeleteItem that returns
 * the old item: of two connects racing with one ticket, DynamoDB gives the item to exactly one.
 */
public final class DynamoConnectTickets implements ConnectTickets {

    public static final String DEFAULT_TABLE = "headcount-dashboard-tickets";
    public static final String KEY = "ticketHash";
    public static final String TTL = "expiresAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConnectTickets(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void store(String hash, ConnectTicket ticket, Instant removeAfter) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(hash));
        item.put("eventId", AttributeValue.fromS(ticket.eventId()));
        if (ticket.subject() != null) item.put("subject", AttributeValue.fromS(ticket.subject()));
        item.put("validUntil", AttributeValue.fromN(Long.toString(ticket.expiresAt().toEpochMilli())));
        if (ticket.authorisedUntil() != null) {
            item.put("authorisedUntil", AttributeValue.fromN(Long.toString(ticket.authorisedUntil().toEpochMilli())));
        }
        item.put(TTL, AttributeValue.fromN(Long.toString(removeAfter.getEpochSecond())));
        // a 256-bit random ticket never collides; the condition says so rather than overwriting one
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", KEY)));
    }

    @Override
    public Optional<ConnectTicket> take(String hash) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of(KEY, AttributeValue.fromS(hash))).returnValues(ReturnValue.ALL_OLD)).attributes();
        if (old == null || old.isEmpty()) return Optional.empty();
        return Optional.of(new ConnectTicket(old.get("eventId").s(),
                old.containsKey("subject") ? old.get("subject").s() : null,
                Instant.ofEpochMilli(Long.parseLong(old.get("validUntil").n())),
                old.containsKey("authorisedUntil") ? Instant.ofEpochMilli(Long.parseLong(old.get("authorisedUntil").n())) : null));
    }
}
