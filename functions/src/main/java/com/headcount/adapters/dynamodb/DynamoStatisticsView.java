package com.headcount.adapters.dynamodb;

import com.headcount.core.stats.EventStatistics;
import com.headcount.core.stats.StatisticsSnapshot;
import com.headcount.core.stats.StatisticsView;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one read path of statistics: two Queries (the event's statistics partition, gates' heartbeats included; its event
 * and gate items) and the document computed at the clock's now by {@link StatisticsSnapshot#document}. Used by the
 * HTTP API, the broadcaster and the stats function when it publishes; the statistics clock builds the same document.
 */
public final class DynamoStatisticsView implements StatisticsView {

    private final DynamoStatisticsStore store;
    private final ParticipantCounts counts;
    private final DynamoEventDirectory events;
    private final Clock clock;

    public DynamoStatisticsView(DynamoDbClient dynamo, String statsTable, String referenceTable, Clock clock) {
        this.counts = new ParticipantCounts(dynamo, statsTable, referenceTable);
        this.store = new DynamoStatisticsStore(dynamo, statsTable, counts);
        this.events = new DynamoEventDirectory(dynamo, referenceTable);
        this.clock = clock;
    }

    @Override
    public Optional<Map<String, Object>> snapshot(String eventId) {
        EventStatistics stats = store.everything(eventId);
        if (stats.aggregates().overall.version() == 0) return Optional.empty();
        var found = events.eventAndGates(eventId);
        if (found.event() == null) return Optional.empty();
        var aggs = stats.aggregates();
        long active = aggs.activeParticipants != null ? aggs.activeParticipants : counts.active(eventId);
        return Optional.of(StatisticsSnapshot.document(found.event(), found.gates(), active, stats, clock.instant()));
    }
}
