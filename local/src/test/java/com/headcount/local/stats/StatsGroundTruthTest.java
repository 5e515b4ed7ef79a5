package com.headcount.local.stats;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.decision.Outcome;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.scan.Direction;
import com.headcount.handlers.StatsSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;

/**
 * A generated event (over 5 000 scans, 8 gates, every method, entries and exits over 3½ hours, in a time zone half
 * an hour off UTC hours) goes through the real ingest function once; its `attendance-recorded` stream is then counted
 * by the real stats function twice, into two statistics tables: once cleanly, once with faults injected into the
 * function's own requests, batches retried and bisected by the runner, shards polled concurrently, and accepted scans
 * published a second time. Both must equal a recomputation from the stored records, figure by figure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(Emulators.Extension.class)
class StatsGroundTruthTest {

    static final int PARTICIPANTS = 1500;
    static final int CANCELLED = 60;
    static final Duration CATCH_UP = Duration.ofMinutes(4);

    StatsHarness h;
    AttendanceEvent event;
    List<Gate> gates = new ArrayList<>();
    int published;
    List<Outcome> accepted;
    /** The snapshot of each run, by table suffix, for the replay comparison. */
    final Map<String, Map<String, Object>> snapshots = new LinkedHashMap<>();

    @AfterAll
    void deleteTheStreams() {
        h.close();
    }

    @BeforeAll
    void ingestAGeneratedEvent(Emulators emulators) {
        h = new StatsHarness(emulators);
        event = new AttendanceEvent(h.eventId, "Ground truth", h.now.minus(Duration.ofHours(3)),
                h.now.plus(Duration.ofHours(1)), ZoneId.of("Asia/Kolkata"), Duration.ofMinutes(2), 0.8, 0.3);
        for (int g = 1; g <= 8; g++) gates.add(new Gate(h.eventId, "g" + g, "Gate " + g, true, 3 + g));
        gates.add(new Gate(h.eventId, "closed", "Closed", false, 10));
        List<Participant> participants = new ArrayList<>();
        for (int i = 0; i < PARTICIPANTS; i++) {
            participants.add(new Participant(h.eventId, "p-" + i, i < CANCELLED ? "cancelled" : "active"));
        }
        h.save(event, gates, participants);

        List<Map<String, Object>> messages = generate(new Random(7));
        published = messages.size();
        h.createStream(h.scansStream, 4);
        h.createStream(h.settings.attendanceRecordedStream(), 4);
        h.put(h.scansStream, messages.stream()
                .map(m -> new StatsHarness.Entry((String) m.get("gateId"), GateMessage.toRecord(h.eventId,
                        (String) m.get("gateId"), StatsHarness.json(m)))).toList());
        try (var mapping = h.mapping(h.scansStream, h.ingestFunction(), 500, 5)) {
            mapping.start(); // the four shards concurrently, as Lambda would
            mapping.awaitCaughtUp(CATCH_UP);
        }
        accepted = h.acceptedRecords();
        assertTrue(h.onFailure.records().isEmpty());
    }

    /** Participants come, go and come back; some scans repeat within the window, some are refused. */
    List<Map<String, Object>> generate(Random random) {
        String[] methods = {"ble_auto", "qr_scan", "manual"};
        Instant first = h.now.minus(Duration.ofMinutes(210));
        Instant last = h.now.minus(Duration.ofMinutes(1));
        long span = Duration.between(first, last).toMillis();
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < PARTICIPANTS; i++) {
            if (random.nextInt(10) == 0) continue; // never comes
            Instant t = first.plusMillis((long) (span * Math.pow(random.nextDouble(), 1.3)));
            int visits = 1 + random.nextInt(4);
            for (int v = 0; v < visits && t.isBefore(last); v++) {
                messages.add(scan(random, "p-" + i, Direction.ENTRY, t, methods));
                if (random.nextInt(8) == 0) {
                    // the same gate again within the window: a duplicate, never recorded
                    Map<String, Object> again = new LinkedHashMap<>(messages.getLast());
                    again.put("scanId", UUID.randomUUID().toString());
                    again.put("timestamp", t.plusSeconds(40).toString());
                    messages.add(again);
                }
                t = t.plus(Duration.ofMinutes(5 + random.nextInt(50)));
                if (random.nextInt(5) != 0 && t.isBefore(last)) {
                    messages.add(scan(random, "p-" + i, Direction.EXIT, t, methods));
                    t = t.plus(Duration.ofMinutes(5 + random.nextInt(30)));
                }
            }
        }
        messages.add(scan(random, "p-9999", Direction.ENTRY, last, methods)); // unknown participant
        Map<String, Object> closed = scan(random, "p-100", Direction.ENTRY, last, methods);
        closed.put("gateId", "closed");
        messages.add(closed);
        // offline gates upload late and out of order: publish in a shuffled order
        java.util.Collections.shuffle(messages, random);
        return messages;
    }

    Map<String, Object> scan(Random random, String participantId, Direction direction, Instant at, String[] methods) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scanId", UUID.randomUUID().toString());
        m.put("eventId", h.eventId);
        m.put("participantId", participantId);
        m.put("gateId", gates.get(random.nextInt(8)).gateId());
        // devices write their own offset; the figures must not depend on it
        m.put("timestamp", at.atOffset(random.nextBoolean() ? ZoneOffset.UTC : ZoneOffset.ofHoursMinutes(5, 30)).toString());
        m.put("method", methods[random.nextInt(methods.length)]);
        m.put("direction", direction.wireName());
        return m;
    }

    @Test
    @Order(1)
    void everyFigureEqualsARecomputationFromTheStoredRecords() {
        assertTrue(published >= 5000, "at least 5 000 scans, was " + published);
        assertTrue(accepted.size() >= 4000, "most are accepted: " + accepted.size());
        assertTrue(accepted.stream().anyMatch(o -> o.scan().direction() == Direction.EXIT));
        assertTrue(Duration.between(accepted.stream().map(o -> o.scan().scannedAt()).min(Instant::compareTo).orElseThrow(),
                accepted.stream().map(o -> o.scan().scannedAt()).max(Instant::compareTo).orElseThrow()).toHours() >= 3);

        StatsSettings s = h.statsSettings("-clean");
        Clock clock = Clock.fixed(h.now, ZoneOffset.UTC);
        try (var mapping = h.mapping(h.settings.attendanceRecordedStream(), h.statsFunction(s, clock, StatsHarness.NO_WAIT), 100, -1)) {
            mapping.start();
            mapping.awaitCaughtUp(CATCH_UP);
            assertEquals(0, mapping.counters().functionErrors(), "no failures in the clean run");
        }
        assertFiguresExact(s, clock);

        assertLastPublicationIsTheFinalSnapshot(s, clock);
    }

    @Test
    @Order(2)
    void theSameFiguresWithFaultsRetriesBisectionsConcurrentShardsAndDuplicatePublications() {
        // the recorded stream again, with about one accepted scan in eight published a second time later on
        Random random = new Random(11);
        List<StatsHarness.Entry> entries = new ArrayList<>();
        for (var r : h.read(h.settings.attendanceRecordedStream())) {
            entries.add(new StatsHarness.Entry(r.partitionKey(), r.data().asByteArray()));
        }
        int originals = entries.size();
        int duplicates = 0;
        for (int i = 0; i < originals; i++) {
            if (random.nextInt(8) != 0) continue;
            int at = i + 1 + random.nextInt(entries.size() - i);
            entries.add(Math.min(at, entries.size()), entries.get(i));
            duplicates++;
        }
        String stream = h.settings.attendanceRecordedStream() + "-again";
        h.createStream(stream, 4);
        h.put(stream, entries);

        StatsSettings s = h.statsSettings("-faults");
        Clock clock = Clock.fixed(h.now, ZoneOffset.UTC);
        var faults = new RandomFaults(new Random(3), 80);
        try (var mapping = h.mapping(stream, h.statsFunction(s, clock, StatsHarness.NO_WAIT, faults), 100, -1)) {
            mapping.start();
            mapping.awaitCaughtUp(CATCH_UP);
            var counters = mapping.counters();
            assertTrue(counters.functionErrors() >= 20, "the function failed many times: " + counters);
            assertTrue(counters.bisections() >= 1, "batches were bisected: " + counters);
            assertEquals(0, counters.recordsSentToOnFailure());
        }
        assertTrue(faults.before.get() > 0 && faults.after.get() > 0,
                "failures before and after writes: " + faults.before + " / " + faults.after);
        assertTrue(duplicates > 300, "duplicate publications: " + duplicates);
        assertFiguresExact(s, clock);
        assertLastPublicationIsTheFinalSnapshot(s, clock);
    }

    /**
     * Trailing publication: whatever the batches did, the latest `stats.updated` (by its publication time; the later
     * on the stream of two with the same) has the final figures.
     */
    private void assertLastPublicationIsTheFinalSnapshot(StatsSettings s, Clock clock) {
        List<Map<String, Object>> updates = h.read(s.statisticsUpdatesStream()).stream()
                .map(r -> StatsHarness.map(r.data().asByteArray()))
                .filter(m -> MessageTypes.STATS_UPDATED.equals(m.get("type"))).toList();
        assertTrue(!updates.isEmpty(), "published");
        Map<String, Object> latest = updates.getFirst();
        for (var u : updates) {
            if (Instant.parse((String) u.get("publishedAt")).compareTo(Instant.parse((String) latest.get("publishedAt"))) >= 0) {
                latest = u;
            }
        }
        Map<String, Object> finalDoc = StatsHarness.map(StatsHarness.json(new DynamoStatisticsView(h.dynamo,
                s.statisticsTable(), s.shared().referenceTable(), clock).snapshot(h.eventId).orElseThrow()));
        assertEquals(finalDoc, latest.get("statistics"));
    }

    /**
     * The faulty run is a replay of the clean one's stream under the same injected clock: the two documents are the
     * same, forecasts and alert episodes included (only the load an alert was raised at may differ: it depends on
     * where the batches happened to end).
     */
    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void aReplayUnderTheSameClockGivesTheSameDocument() {
        assertEquals(2, snapshots.size(), "both runs done");
        var docs = new ArrayList<Map<String, Object>>();
        for (var snapshot : snapshots.values()) {
            var doc = new LinkedHashMap<>(snapshot);
            // how many writes changed the counts: a run with faults retries and redoes more of them, the figures agree
            doc.remove("version");
            List<Map<String, Object>> alerts = (List<Map<String, Object>>) doc.get("alerts");
            doc.put("alerts", alerts.stream().map(a -> {
                var copy = new LinkedHashMap<>(a);
                copy.remove("value");
                copy.remove("message");
                return copy;
            }).toList());
            docs.add(doc);
        }
        assertTrue(!((List<?>) docs.get(0).get("alerts")).isEmpty(), "alerts were raised: " + docs.get(0).get("alerts"));
        assertEquals(docs.get(0), docs.get(1));
    }

    private void assertFiguresExact(StatsSettings s, Clock clock) {
        Map<String, Object> snapshot = new DynamoStatisticsView(h.dynamo, s.statisticsTable(), s.shared().referenceTable(), clock)
                .snapshot(h.eventId).orElseThrow();
        GroundTruth.assertSnapshotMatches(snapshot, accepted, event, gates, PARTICIPANTS - CANCELLED, h.now);
        snapshots.put(s.statisticsTable(), snapshot);
    }

    /**
     * Fails the function's own requests at random, up to a budget: before a request is sent (nothing written) or
     * after a write was made (written, but the function sees an error), so crashes fall before, between and after
     * its writes.
     */
    static final class RandomFaults implements ExecutionInterceptor {
        final Random random;
        final AtomicInteger budget;
        final AtomicInteger before = new AtomicInteger();
        final AtomicInteger after = new AtomicInteger();

        RandomFaults(Random random, int budget) {
            this.random = random;
            this.budget = new AtomicInteger(budget);
        }

        private synchronized boolean strike() {
            return budget.get() > 0 && random.nextInt(60) == 0 && budget.decrementAndGet() >= 0;
        }

        private static boolean write(SdkRequest r) {
            return r instanceof PutItemRequest || r instanceof UpdateItemRequest || r instanceof PutRecordRequest;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            if ((write(r) || r instanceof BatchGetItemRequest || r instanceof QueryRequest) && strike()) {
                before.incrementAndGet();
                throw new IllegalStateException("injected: failed before " + r.getClass().getSimpleName());
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (write(context.request()) && strike()) {
                after.incrementAndGet();
                throw new IllegalStateException("injected: failed after " + context.request().getClass().getSimpleName());
            }
        }
    }

    static Set<String> ids(List<Outcome> outcomes) {
        Set<String> ids = new HashSet<>();
        outcomes.forEach(o -> ids.add(o.scanId()));
        return ids;
    }
}
