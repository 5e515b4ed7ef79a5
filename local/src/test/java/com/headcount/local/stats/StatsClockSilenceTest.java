package com.headcount.local.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.aws.RequestMeter;
import com.headcount.adapters.dynamodb.DynamoStatisticsStore;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.core.alerts.AlertState;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.handlers.StatsClockFunction;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.lambda.LocalContext;
import com.headcount.local.testing.Emulators;
import com.headcount.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The statistics clock through the real functions on the emulators, with a clock the test moves: silence raises
 * low_attendance and clears an overload, the next surge raises it again, the figures the clock publishes decay; and
 * what a tick costs per running event. Each test keeps to its own year, so the running events the clock finds in the
 * shared reference table are its own.
 */
@ExtendWith(Emulators.Extension.class)
class StatsClockSilenceTest {

    static AttendanceEvent event(String id, Instant start, Duration length) {
        return new AttendanceEvent(id, "Clock " + id, start, start.plus(length), ZoneId.of("Europe/Lisbon"),
                Duration.ofMinutes(2), 0.8, 0.3);
    }

    static List<Participant> participants(String eventId, int n) {
        List<Participant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Participant(eventId, "p-" + i, "active"));
        return out;
    }

    static void tick(StatsClockFunction clock) {
        clock.handleRequest(Map.of(), new LocalContext("StatsClockFunction", Duration.ofMinutes(1)));
    }

    static AlertState state(StatsHarness h, StatsSettings s, String key) {
        var store = new DynamoStatisticsStore(h.dynamo, s.statisticsTable(),
                new ParticipantCounts(h.dynamo, s.statisticsTable(), s.shared().referenceTable()));
        return store.everything(h.eventId).aggregates().alertStates.getOrDefault(key, AlertState.ARMED);
    }

    static List<Map<String, Object>> published(StatsHarness h, StatsSettings s, String type) {
        return h.read(s.statisticsUpdatesStream()).stream().map(r -> StatsHarness.map(r.data().asByteArray()))
                .filter(m -> type.equals(m.get("type"))).toList();
    }

    /** The harness's event with gate north of this capacity and 100 participants; its statistics settings. */
    static StatsSettings oneGateEvent(StatsHarness h, Instant start, Duration length, int capacity) {
        h.save(event(h.eventId, start, length), List.of(new Gate(h.eventId, "north", "North", true, capacity)),
                participants(h.eventId, 100));
        return h.statsSettings("");
    }

    @Test
    void lowAttendanceIsRaisedByTheClockWithNoScanArriving(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            Instant start = Instant.parse("2028-03-01T09:00:00Z");
            StatsSettings s = oneGateEvent(h, start, Duration.ofHours(4), 20);
            var clock = new MutableClock(start.plus(Duration.ofMinutes(10)));
            StatsFunction function = h.statsFunction(s, clock, clock.sleeper());
            StatsAlertsTest.run(function, h, h.recorded("north", 0, 20, clock.instant())); // 20 %, then nobody else

            StatsClockFunction ticking = h.statsClock(s, clock);
            while (clock.instant().isBefore(start.plus(Duration.ofHours(2)))) {
                clock.advance(Duration.ofMinutes(10));
                tick(ticking);
            }
            assertTrue(published(h, s, MessageTypes.ALERT_RAISED).isEmpty(), "nothing up to half time");
            clock.advance(Duration.ofMinutes(1));
            tick(ticking);
            List<Map<String, Object>> raised = published(h, s, MessageTypes.ALERT_RAISED);
            assertEquals(1, raised.size(), "raised by the clock, no scan having arrived: " + raised);
            assertEquals(h.eventId + ":low_attendance:1", ((Map<?, ?>) raised.get(0).get("alert")).get("id"));
            var snapshot = new DynamoStatisticsView(h.dynamo, s.statisticsTable(), s.shared().referenceTable(), clock)
                    .snapshot(h.eventId).orElseThrow();
            assertEquals(h.eventId + ":low_attendance:1", ((Map<?, ?>) ((List<?>) snapshot.get("alerts")).get(0)).get("id"));
            // the tick that raised it published the figures with it
            Map<?, ?> last = (Map<?, ?>) published(h, s, MessageTypes.STATS_UPDATED).getLast().get("statistics");
            assertEquals(h.eventId + ":low_attendance:1", ((Map<?, ?>) ((List<?>) last.get("alerts")).get(0)).get("id"));
            clock.advance(Duration.ofMinutes(1));
            tick(ticking);
            assertEquals(1, published(h, s, MessageTypes.ALERT_RAISED).size(), "once per episode");
        }
    }

    @Test
    void anOverloadClearsInSilenceAndIsRaisedAgainOnTheNextSurge(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            Instant start = Instant.parse("2027-05-01T09:00:00Z");
            StatsSettings s = oneGateEvent(h, start, Duration.ofHours(8), 2);
            var clock = new MutableClock(start.plus(Duration.ofMinutes(30)));
            StatsFunction function = h.statsFunction(s, clock, clock.sleeper());
            StatsAlertsTest.run(function, h, h.recorded("north", 0, 11, clock.instant())); // load 1.1
            assertEquals(new AlertState(true, 1), state(h, s, "gate_overload#north"));

            StatsClockFunction ticking = h.statsClock(s, clock);
            int ticks = 0;
            while (state(h, s, "gate_overload#north").raised()) {
                clock.advance(Duration.ofMinutes(1));
                tick(ticking);
                assertTrue(++ticks <= 11, "cleared within the load window plus the lag allowance");
            }
            assertEquals(new AlertState(false, 1), state(h, s, "gate_overload#north"), "re-armed with no scan arriving");
            Map<?, ?> lastPublished =
                    (Map<?, ?>) published(h, s, MessageTypes.STATS_UPDATED).getLast().get("statistics");
            Map<?, ?> north = (Map<?, ?>) ((Map<?, ?>) lastPublished.get("gates")).get("north");
            assertEquals(0.0, ((Number) north.get("currentLoad")).doubleValue(), "the dashboards saw the load decay");
            assertEquals(0.0, ((Number) north.get("estimatedWaitMinutes")).doubleValue());

            clock.advance(Duration.ofMinutes(2));
            StatsAlertsTest.run(function, h, h.recorded("north", 11, 12, clock.instant()));
            assertEquals(new AlertState(true, 2), state(h, s, "gate_overload#north"), "the next surge: episode 2");
            assertEquals(List.of(h.eventId + ":gate_overload#north:1", h.eventId + ":gate_overload#north:2"),
                    published(h, s, MessageTypes.ALERT_RAISED).stream()
                            .map(m -> ((Map<?, ?>) m.get("alert")).get("id")).toList());
        }
    }

    /**
     * Requests of one tick, counted at the SDK: three running events, four that ended (one ended just before the
     * clock's reach), one not started yet. Report: local/target/clock-requests.txt.
     */
    @Test
    void aTickCostsABoundedNumberOfRequestsPerRunningEventAndNothingForEndedOnes(Emulators emulators) throws IOException {
        try (var h = new StatsHarness(emulators)) {
            Instant now = Instant.parse("2029-09-10T12:00:00Z");
            StatsSettings s = h.statsSettings("");
            var clock = new MutableClock(now);
            StatsFunction function = h.statsFunction(s, clock, clock.sleeper());
            List<String> running = new ArrayList<>();
            for (int e = 0; e < 8; e++) {
                String id = h.eventId + "-" + e;
                Instant start = switch (e) {
                    case 0, 1, 2 -> now.minus(Duration.ofHours(1)); // running
                    // ended 1 h 36 min ago: its last scan time plus the longest window was a minute ago
                    case 3 -> now.minus(Duration.ofHours(4)).minus(Duration.ofMinutes(36));
                    case 7 -> now.plus(Duration.ofHours(2)); // doors open in an hour
                    default -> now.minus(Duration.ofDays(e)); // ended days ago
                };
                var ev = event(id, start, Duration.ofHours(3));
                h.reference.save(ev);
                h.reference.save(new Gate(id, "north", "North", true, 30));
                h.reference.saveAll(participants(id, 50));
                new ParticipantCounts(h.dynamo, s.statisticsTable(), s.shared().referenceTable()).recount(id);
                if (e < 3) running.add(id);
                if (e < 7) {
                    // a few scans while it ran
                    clock.set(e < 3 ? now.minus(Duration.ofMinutes(20)) : start.plus(Duration.ofHours(1)));
                    StatsAlertsTest.run(function, h, recordedFor(h, id, 10, clock.instant()));
                }
            }
            var meter = new RequestMeter();
            StatsClockFunction ticking = h.statsClock(s, clock, meter);

            clock.set(now);
            tick(ticking);
            Map<String, Long> moved = meter.snapshot();
            meter.reset();
            tick(ticking); // the same moment again: nothing moved
            Map<String, Long> still = meter.snapshot();
            meter.reset();
            clock.advance(Duration.ofMinutes(1));
            tick(ticking);
            Map<String, Long> aMinuteLater = meter.snapshot();

            long n = running.size();
            String report = "Statistics clock, requests of one tick with " + n + " running events, 4 ended, 1 not started"
                    + " (StatsClockSilenceTest, dynalite + " + KinesisEmulator.configured().label() + ")\n"
                    + "first tick (every event's figures moved since the batches): " + moved + "\n"
                    + "same moment again (nothing moved, published all the same): " + still + "\n"
                    + "a minute later (windows and forecasts moved): " + aMinuteLater + "\n"
                    + String.format("per running event: %.1f requests when figures moved, %.1f when nothing did,"
                            + " plus 1 index Query per tick for all events%n",
                            (total(aMinuteLater) - 1) / (double) n, (total(still) - 1) / (double) n);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "clock-requests.txt"), report);
            System.out.println(report);

            assertEquals(Map.of("DynamoDb.Query", 1 + 2 * n, "Kinesis.PutRecord", n), still,
                    "one index Query, then two Queries and one stats.updated per running event");
            assertEquals(1 + 2 * n, aMinuteLater.get("DynamoDb.Query"));
            assertEquals(null, aMinuteLater.get("DynamoDb.PutItem"), "no alert state changed: nothing to write");
            assertEquals(n, aMinuteLater.get("Kinesis.PutRecord"), "one stats.updated per running event");
            assertEquals(1 + 3 * n, total(aMinuteLater), "nothing for the ended or future events: " + aMinuteLater);
        }
    }

    static long total(Map<String, Long> requests) {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The harness's batches are for its own event; this one is for another event of the same harness. */
    static com.amazonaws.services.lambda.runtime.events.KinesisEvent recordedFor(StatsHarness h, String eventId, int n,
                                                                                 Instant at) {
        var batch = h.recorded("north", 0, n, at);
        for (var r : batch.getRecords()) {
            Map<String, Object> m = StatsHarness.map(r.getKinesis().getData().array());
            m.put("eventId", eventId);
            r.getKinesis().setData(java.nio.ByteBuffer.wrap(StatsHarness.json(m)));
        }
        return batch;
    }
}
