package com.headcount.adapters.dynamodb;

import com.headcount.core.scan.GateMessage;
import com.headcount.core.stats.GateHeartbeat;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Gates' heartbeats in the statistics table: one item per gate in the event's partition ({@code pk EVENT#<event>},
 * {@code sk HEARTBEAT#<gate>}), replaced by each heartbeat, so the snapshot's one Query of the partition reads them
 * with the aggregates (and the scan path's {@code AGG#} Query never does).
 *
 * <p>In AWS the items are written by the IoT topic rule {@link #ruleSql} (a DynamoDBv2 action: the selected fields
 * are the item, each keeping its JSON type); locally the broker's status rule does the same through
 * {@link #fromRule}. A field the gate left out, or sent with another type, is absent from the health shown.
 */
public final class GateHeartbeatItems {

    public static final String PREFIX = "HEARTBEAT#";
    /** The gate's own fields the rule keeps; anything else a gate sends is dropped by the SELECT. */
    public static final List<String> GATE_FIELDS = List.of("sentAt", "connected", "queueLength", "oldestQueuedAt", "version",
            "allowListAgeSeconds", "allowListVersion");

    /** The stage's status rule: only that stage's gates' heartbeats, so another stage's never reach its statistics. */
    public static String ruleSql(String stage) {
        return "SELECT concat('EVENT#', topic(3)) AS pk, concat('" + PREFIX
                + "', topic(5)) AS sk, topic(3) AS eventId, topic(5) AS gateId, timestamp() AS receivedAt, "
                + String.join(", ", GATE_FIELDS) + " FROM '" + GateMessage.topic(stage, "+", "+", "status") + "'";
    }

    private GateHeartbeatItems() {}

    /**
     * The item the rule writes for a heartbeat on the topic of {@code eventId}/{@code gateId}.
     *
     * @param body the message parsed as JSON, or null when it is not a JSON object
     */
    public static Map<String, AttributeValue> fromRule(String eventId, String gateId, Map<String, Object> body,
                                                       Instant receivedAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(StatisticsItems.PK, AttributeValue.fromS("EVENT#" + eventId));
        item.put(StatisticsItems.SK, AttributeValue.fromS(PREFIX + gateId));
        item.put("eventId", AttributeValue.fromS(eventId));
        item.put("gateId", AttributeValue.fromS(gateId));
        item.put("receivedAt", AttributeValue.fromN(Long.toString(receivedAt.toEpochMilli())));
        if (body != null) {
            for (String field : GATE_FIELDS) {
                if (body.containsKey(field)) item.put(field, json(body.get(field)));
            }
        }
        return item;
    }

    /** The heartbeats among a partition's items, by gate. */
    public static Map<String, GateHeartbeat> read(List<Map<String, AttributeValue>> items) {
        Map<String, GateHeartbeat> found = new TreeMap<>();
        for (var item : items) {
            AttributeValue sk = item.get(StatisticsItems.SK);
            if (sk == null || sk.s() == null || !sk.s().startsWith(PREFIX)) continue;
            String gateId = sk.s().substring(PREFIX.length());
            Long received = number(item.get("receivedAt"));
            if (received == null) continue;
            found.put(gateId, new GateHeartbeat(gateId, Instant.ofEpochMilli(received), instant(item.get("sentAt")),
                    item.get("connected") == null ? null : item.get("connected").bool(), number(item.get("queueLength")),
                    instant(item.get("oldestQueuedAt")), item.get("version") == null ? null : item.get("version").s(),
                    number(item.get("allowListAgeSeconds")), number(item.get("allowListVersion"))));
        }
        return found;
    }

    /** As the rule's DynamoDBv2 action stores a JSON value. */
    private static AttributeValue json(Object value) {
        if (value == null) return AttributeValue.fromNul(true);
        if (value instanceof Boolean b) return AttributeValue.fromBool(b);
        if (value instanceof Number n) return AttributeValue.fromN(n.toString());
        if (value instanceof String s) return AttributeValue.fromS(s);
        if (value instanceof List<?> l) return AttributeValue.fromL(l.stream().map(GateHeartbeatItems::json).toList());
        if (value instanceof Map<?, ?> m) {
            Map<String, AttributeValue> out = new HashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), json(v)));
            return AttributeValue.fromM(out);
        }
        return AttributeValue.fromB(SdkBytes.fromUtf8String(value.toString()));
    }

    private static Long number(AttributeValue v) {
        if (v == null || v.n() == null) return null;
        try {
            return new java.math.BigDecimal(v.n()).longValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(AttributeValue v) {
        if (v == null || v.s() == null) return null;
        try {
            return Instant.parse(v.s());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(v.s()).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
