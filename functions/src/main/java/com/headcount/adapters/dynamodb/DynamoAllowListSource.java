package com.headcount.adapters.dynamodb;

import static com.headcount.adapters.dynamodb.Attributes.n;
import static com.headcount.adapters.dynamodb.Attributes.s;

import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The allow-list's source in the reference table: the event's partition read whole (strongly consistent, so a rebuild
 * sees every write made before its version was reserved) and one pointer item per event, {@code sk STATE#ALLOWLIST},
 * holding the last reserved number and the published version and hash. The pointer is its own item because a PUT of
 * the event replaces the event item whole; its key sorts after {@code PARTICIPANT#} so the readers of the event and
 * its gates ({@code sk < "H"}) never see it.
 */
public final class DynamoAllowListSource implements AllowLists.Source {

    public static final String POINTER_SK = "STATE#ALLOWLIST";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAllowListSource(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public long reserveVersion(String eventId) {
        var answer = dynamo.updateItem(b -> b.tableName(table).key(pointer(eventId))
                .updateExpression("ADD #r :one")
                .expressionAttributeNames(Map.of("#r", "reserved"))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Long.parseLong(answer.attributes().get("reserved").n());
    }

    @Override
    public Optional<AllowLists.Snapshot> read(String eventId) {
        AttendanceEvent event = null;
        EdgePolicy policy = EdgePolicy.defaults();
        AllowLists.Published published = null;
        List<Gate> gates = new ArrayList<>();
        List<Participant> participants = new ArrayList<>();
        var pages = dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", ReferenceItems.PK))
                .expressionAttributeValues(Map.of(":pk", s("EVENT#" + eventId))));
        for (var item : pages.items()) {
            String sk = item.get(ReferenceItems.SK).s();
            if (sk.equals(POINTER_SK)) {
                published = published(item).orElse(null);
            } else if (sk.equals("EVENT") || sk.startsWith("GATE#") || sk.startsWith("PARTICIPANT#")) {
                Object value = ReferenceItems.read(item).getValue();
                switch (value) {
                    case AttendanceEvent e -> {
                        event = e;
                        policy = ReferenceItems.edgePolicy(item);
                    }
                    case Gate g -> gates.add(g);
                    case Participant p -> participants.add(p);
                    default -> { }
                }
            }
        }
        if (event == null) return Optional.empty();
        return Optional.of(new AllowLists.Snapshot(event, policy, gates, participants, Optional.ofNullable(published)));
    }

    @Override
    public boolean hasGate(String eventId, String gateId) {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of(ReferenceItems.PK, s("EVENT#" + eventId),
                ReferenceItems.SK, s("GATE#" + gateId))).projectionExpression("#sk")
                .expressionAttributeNames(Map.of("#sk", ReferenceItems.SK))).hasItem();
    }

    @Override
    public Optional<AllowLists.Published> published(String eventId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(pointer(eventId)).consistentRead(true));
        return item.hasItem() ? published(item.item()) : Optional.empty();
    }

    @Override
    public Optional<AllowLists.Published> publish(String eventId, AllowLists.Published version) {
        try {
            var answer = dynamo.updateItem(b -> b.tableName(table).key(pointer(eventId))
                    .updateExpression("SET #v = :v, #h = :h, #b = :b")
                    .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                    .expressionAttributeNames(Map.of("#v", "version", "#h", "sha256", "#b", "builtAt"))
                    .expressionAttributeValues(Map.of(":v", n(version.version()), ":h", s(version.sha256()),
                            ":b", s(String.valueOf(version.builtAt()))))
                    .returnValues(ReturnValue.UPDATED_OLD));
            return answer.hasAttributes() ? published(answer.attributes()) : Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return null; // a newer version is current
        }
    }

    private static Optional<AllowLists.Published> published(Map<String, AttributeValue> item) {
        if (!item.containsKey("version") || !item.containsKey("sha256")) return Optional.empty();
        AttributeValue built = item.get("builtAt");
        return Optional.of(new AllowLists.Published(Long.parseLong(item.get("version").n()), item.get("sha256").s(),
                built == null || built.s() == null || built.s().equals("null") ? null : java.time.Instant.parse(built.s())));
    }

    private static Map<String, AttributeValue> pointer(String eventId) {
        return Map.of(ReferenceItems.PK, s("EVENT#" + eventId), ReferenceItems.SK, s(POINTER_SK));
    }
}
