package com.headcount.adapters.dynamodb;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.stats.Alert;
import com.headcount.core.stats.ArrivalsPerMinute;
import com.headcount.core.stats.EventAggregates;
import com.headcount.core.stats.GateHealth;
import com.headcount.core.stats.StatisticsSnapshot;
import com.headcount.core.stats.StatisticsView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The one read path of statistics: two Queries (the event's statistics partition, gates' heartbeats included; its event
 * and gate items) and the figures computed at the clock's now by {@link StatisticsSnapshot} and {@link GateHealth}. Used by the HTTP API, the broadcaster and the
 * stats function when it publishes.
 */
public final class DynamoStatisticsView implements StatisticsView {

    private final DynamoDbClient dynamo;
    private final DynamoStatisticsStore store;
    private final ParticipantCounts counts;
    private final String referenceTable;
    private final Clock clock;

    public DynamoStatisticsView(DynamoDbClient dynamo, String statsTable, String referenceTable, Clock clock) {
        this.dynamo = dynamo;
        this.counts = new ParticipantCounts(dynamo, statsTable, referenceTable);
        this.store = new DynamoStatisticsStore(dynamo, statsTable, counts);
        this.referenceTable = referenceTable;
        this.clock = clock;
    }

    @Override
    public Optional<Map<String, Object>> snapshot(String eventId) {
        List<Alert> history = new ArrayList<>();
        var partition = store.query(eventId, null);
        EventAggregates aggs = StatisticsItems.read(partition, history);
        if (aggs.overall.version() == 0) return Optional.empty();
        AttendanceEvent event = null;
        List<Gate> gates = new ArrayList<>();
        // "EVENT" and "GATE#..." sort before "PARTICIPANT#...": the event and its gates without any participant
        var items = dynamo.query(b -> b.tableName(referenceTable)
                .keyConditionExpression("#pk = :pk AND #sk < :p")
                .expressionAttributeNames(Map.of("#pk", ReferenceItems.PK, "#sk", ReferenceItems.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("EVENT#" + eventId),
                        ":p", AttributeValue.fromS("H")))).items();
        for (var item : items) {
            Object value = ReferenceItems.read(item).getValue();
            if (value instanceof AttendanceEvent e) event = e;
            if (value instanceof Gate g) gates.add(g);
        }
        if (event == null) return Optional.empty();
        long active = aggs.activeParticipants != null ? aggs.activeParticipants : counts.active(eventId);
        Instant now = clock.instant();
        Map<String, Object> snapshot = StatisticsSnapshot.of(event, gates, active, aggs, history, now);
        GateHealth.addTo(snapshot, GateHeartbeatItems.read(partition), now);
        ArrivalsPerMinute.addTo(snapshot, aggs.overall, now);
        return Optional.of(snapshot);
    }
}
