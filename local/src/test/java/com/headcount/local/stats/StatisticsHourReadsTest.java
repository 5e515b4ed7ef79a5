package com.headcount.local.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoStatisticsStore;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.core.stats.Aggregate;
import com.headcount.core.stats.EventAggregates;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.stack.LocalResources;
import com.headcount.local.testing.Emulators;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Issue 21 point 5: a statistics batch reads the overall and gate items and only the hours its scans fall in. Every
 * hour item of an event holds a counter per gate, so reading them all made each batch cost the event's length ×
 * gates; the items DynamoDB returned are counted at the SDK.
 */
@ExtendWith(Emulators.Extension.class)
class StatisticsHourReadsTest {

    @Test
    void aBatchReadsTheOverallAndGateItemsAndOnlyTheNamedHours(Emulators emulators) {
        var settings = HeadcountSettings.from(Map.of("STATISTICS_TABLE", "statistics-hours"));
        var setUp = LocalAws.dynamoDb(emulators.dynalite.endpoint());
        LocalResources.createTables(setUp, settings);
        AtomicInteger itemsRead = new AtomicInteger();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.response() instanceof QueryResponse q) itemsRead.addAndGet(q.count());
                if (context.response() instanceof BatchGetItemResponse b) {
                    b.responses().values().forEach(items -> itemsRead.addAndGet(items.size()));
                }
            }
        };
        var dynamo = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(), counting).dynamoDb();
        var store = new DynamoStatisticsStore(dynamo, settings.statisticsTable(),
                new ParticipantCounts(dynamo, settings.statisticsTable(), settings.referenceTable()));

        String eventId = "hours";
        Instant first = Instant.parse("2026-06-01T08:00:00Z");
        for (int h = 0; h < 10; h++) {
            Aggregate hour = Aggregate.empty(Aggregate.HOUR_PREFIX + first.plus(Duration.ofHours(h)));
            hour.add("scans", h + 1);
            assertTrue(store.save(eventId, hour));
        }
        for (String gate : List.of("north", "south")) {
            Aggregate g = Aggregate.empty(Aggregate.gateKey(gate));
            g.add("scans", 1);
            assertTrue(store.save(eventId, g));
        }
        EventAggregates empty = EventAggregates.empty();
        empty.overall.add("attended", 1);
        assertTrue(store.saveOverall(eventId, empty));

        String named = Aggregate.HOUR_PREFIX + first.plus(Duration.ofHours(3));
        itemsRead.set(0);
        EventAggregates read = store.aggregates(eventId, List.of(named));

        assertEquals(Set.of(named), read.hours.keySet(), "only the hour named");
        assertEquals(4, read.hours.get(named).get("scans"));
        assertEquals(1, read.hours.get(named).version(), "read as stored, so its write is conditional on it");
        assertEquals(Set.of("north", "south"), read.gates.keySet());
        assertEquals(1, read.overall.get("attended"));
        assertEquals(4, itemsRead.get(), "the overall item, two gates, one hour");
    }
}
