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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
}
