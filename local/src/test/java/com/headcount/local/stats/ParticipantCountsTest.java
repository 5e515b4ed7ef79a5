package com.headcount.local.stats;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Participant;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The active-participant counter against the reference table on dynalite: import, status changes, recount. */
@ExtendWith(Emulators.Extension.class)
class ParticipantCountsTest {

    @Test
    void theCounterFollowsImportsAndStatusChanges(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            List<Participant> participants = new ArrayList<>();
            for (int i = 0; i < 250; i++) participants.add(new Participant(h.eventId, "p-" + i, i % 10 == 0 ? "cancelled" : "active"));
            h.save(AttendanceEvent.withDefaults(h.eventId, h.now, h.now.plus(Duration.ofHours(2)), ZoneId.of("UTC")), List.of(),
                    participants);
            var s = h.statsSettings(""); // recounts after the import
            var counts = new ParticipantCounts(h.dynamo, s.statisticsTable(), s.shared().referenceTable());
            assertEquals(225, counts.active(h.eventId));

            h.reference.saveAll(List.of(new Participant(h.eventId, "p-1", "cancelled")));
            counts.statusChanged(h.eventId, "active", "cancelled");
            h.reference.saveAll(List.of(new Participant(h.eventId, "p-new", "active")));
            counts.statusChanged(h.eventId, null, "active");
            counts.statusChanged(h.eventId, "cancelled", "cancelled");
            assertEquals(225, counts.active(h.eventId));
            assertEquals(225, counts.recount(h.eventId), "the counter agrees with a count of the table");

            h.reference.saveAll(List.of(new Participant(h.eventId, "p-2", "cancelled")));
            counts.statusChanged(h.eventId, "active", "cancelled");
            assertEquals(224, counts.active(h.eventId));
        }
    }

    @Test
    void aStatusChangeLandingDuringARecountIsCountedOnceNotErasedNorDoubled(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            List<Participant> participants = new ArrayList<>();
            for (int i = 0; i < 40; i++) participants.add(new Participant(h.eventId, "p-" + i, "active"));
            h.save(AttendanceEvent.withDefaults(h.eventId, h.now, h.now.plus(Duration.ofHours(2)), ZoneId.of("UTC")), List.of(),
                    participants);
            var s = h.statsSettings("");
            var organiser = new ParticipantCounts(h.dynamo, s.statisticsTable(), s.shared().referenceTable());
            assertEquals(40, organiser.recount(h.eventId));

            // an organiser cancels p-1 and p-2 while a statistics batch counts: p-1's write lands after the count's
            // Query (missed by it), p-2's before it (seen by it), and both their counter updates after the Query
            AtomicInteger queries = new AtomicInteger();
            ExecutionInterceptor organiserActsDuringTheCount = new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof QueryRequest && queries.getAndIncrement() == 0) {
                        h.reference.saveAll(List.of(new Participant(h.eventId, "p-1", "cancelled")));
                        organiser.statusChanged(h.eventId, "active", "cancelled");
                        organiser.statusChanged(h.eventId, "active", "cancelled"); // p-2's, written before the Query
                    }
                }

                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof QueryRequest && queries.get() == 0) {
                        h.reference.saveAll(List.of(new Participant(h.eventId, "p-2", "cancelled")));
                    }
                }
            };
            var batch = new ParticipantCounts(h.clients(organiserActsDuringTheCount).dynamoDb(), s.statisticsTable(),
                    s.shared().referenceTable());
            h.reference.saveAll(List.of(new Participant(h.eventId, "p-3", "inactive")));
            organiser.statusChanged(h.eventId, "active", "inactive"); // a change before: the batch must count

            assertEquals(37, batch.active(h.eventId), "the count that lost to the changes counted again");
            assertEquals(2, queries.get(), "one count lost, one stood");
            assertEquals(37, organiser.active(h.eventId), "and the counter stored says so");
        }
    }
}
