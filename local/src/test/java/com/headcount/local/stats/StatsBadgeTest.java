package com.headcount.local.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.aws.RequestMeter;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.stats.ClaimPage;
import com.headcount.core.stats.ParticipantClaims;
import com.headcount.handlers.StatsSettings;
import com.headcount.local.testing.Emulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A BLE badge left near the gates of a five-day event: 10 000 accepted scans of one participant (8 gates, in and
 * out, as often as the decision rule lets through), among 200 ordinary participants, some scans uploaded late and
 * one in twenty published twice, counted by the real stats function in batches of 500 on one shard, with random
 * faults, retries and bisection as Lambda makes them. Every figure equals a recomputation from the records, and no claims item grows past its
 * bound.
 */
@ExtendWith(Emulators.Extension.class)
class StatsBadgeTest {

    static final int BADGE_SCANS = 10_000;
    static final int OTHERS = 200;

    @Test
    void aBadgeSeenTenThousandTimesIsStillCountedExactlyWithBoundedItems(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            Instant start = Instant.parse("2027-08-02T08:00:00Z");
            var event = new AttendanceEvent(h.eventId, "Five days", start, start.plus(Duration.ofDays(5)),
                    ZoneId.of("Asia/Kolkata"), Duration.ofMinutes(2), 0.8, 0.3);
            List<Gate> gates = new ArrayList<>();
            for (int g = 0; g < 8; g++) gates.add(new Gate(h.eventId, "g" + g, "Gate " + g, true, 10));
            List<Participant> participants = new ArrayList<>();
            participants.add(new Participant(h.eventId, "badge", "active"));
            for (int i = 0; i < OTHERS; i++) participants.add(new Participant(h.eventId, "p-" + i, "active"));
            h.save(event, gates, participants);
            StatsSettings s = h.statsSettings("");

            Random random = new Random(21);
            List<Map<String, Object>> messages = new ArrayList<>();
            for (int i = 0; i < BADGE_SCANS; i++) {
                // every 40 s, gate by gate: the same gate and direction come back every 640 s, past the 5-minute window
                Instant at = start.plus(Duration.ofSeconds(40L * i));
                messages.add(h.accepted("badge", "g" + (i % 8), at, (i / 8) % 2 == 0 ? "entry" : "exit"));
            }
            for (int i = 0; i < OTHERS; i++) {
                messages.add(h.accepted("p-" + i, "g" + random.nextInt(8),
                        start.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 5))), "entry"));
            }
            // offline gates: a few late uploads out of order; and second publications
            for (int k = 0; k < 200; k++) {
                int a = random.nextInt(messages.size()), b = Math.min(messages.size() - 1, a + random.nextInt(400));
                messages.add(b, messages.remove(a));
            }
            List<StatsHarness.Entry> entries = new ArrayList<>();
            for (var m : messages) entries.add(new StatsHarness.Entry(h.eventId + "#" + m.get("participantId"), StatsHarness.json(m)));
            int originals = entries.size();
            for (int i = 0; i < originals; i++) {
                if (random.nextInt(20) != 0) continue;
                int later = i + 1 + random.nextInt(Math.min(400, entries.size() - i));
                entries.add(Math.min(later, entries.size()), entries.get(i));
            }
            Clock clock = Clock.fixed(event.end(), ZoneOffset.UTC);
            var faults = new StatsGroundTruthTest.RandomFaults(new Random(5), 30);
            var meter = new RequestMeter();
            int failures = StatsHarness.runAsLambda(h.statsFunction(s, clock, StatsHarness.NO_WAIT, faults, meter),
                    entries.stream().map(h::record).toList(), 500);
            assertTrue(failures > 0, "faults were injected");
            List<Outcome> accepted = messages.stream().map(OutcomeJson::fromMap).toList();
            var snapshot = new DynamoStatisticsView(h.dynamo, s.statisticsTable(), s.shared().referenceTable(), clock)
                    .snapshot(h.eventId).orElseThrow();
            GroundTruth.assertSnapshotMatches(snapshot, accepted, event, gates, 1 + OTHERS, clock.instant());

            // the badge's item and pages: bounded whatever the number of scans
            var items = h.dynamo.queryPaginator(b -> b.tableName(s.statisticsTable()).consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("PARTICIPANT#" + h.eventId + "#badge"))))
                    .items().stream().toList();
            Set<String> claimed = new HashSet<>();
            int largest = 0;
            for (var item : items) {
                var claims = item.get("claims").m();
                claimed.addAll(claims.keySet());
                boolean head = item.get("sk").s().equals("CLAIMS");
                assertTrue(claims.size() <= (head ? ParticipantClaims.INLINE_MAX : ClaimPage.MAX_CLAIMS),
                        item.get("sk").s() + " holds " + claims.size());
                largest = Math.max(largest, StatsHarness.json(claims.toString()).length);
            }
            assertEquals(BADGE_SCANS, claimed.size(), "one claim per counted scan of the badge, none twice");
            assertTrue(items.size() > 100, "spread over pages: " + items.size());
            System.out.printf("badge: %d claims in %d items, the largest %d bytes as text; %d records, requests (faults "
                    + "included): %s%n", claimed.size(), items.size(), largest, entries.size(), meter.snapshot());
        }
    }
}
