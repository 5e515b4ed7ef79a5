package com.headcount.local.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.dynamodb.ItemSize;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.handlers.IngestFunction;
import com.headcount.local.lambda.LocalContext;
import com.headcount.local.testing.Emulators;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Issue 8's window rules on the emulators, through the real IngestFunction: a claim always names an accepted scan,
 * a permanent error is a stored reject that holds nothing up, the window is bounded and kept in event time.
 */
@ExtendWith(Emulators.Extension.class)
class WindowIntegrityTest {

    static final AtomicLong SEQUENCE = new AtomicLong(1_000_000);

    /** Makes the store refuse one scan's outcome as sent: a real ValidationException from the emulator. */
    static final class RefuseContent implements ExecutionInterceptor {
        volatile String scanId;
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && scanId != null && put.item().containsKey("deviceInfo")
                    && put.item().get("scanKey").s().endsWith("#" + scanId)) {
                refused.incrementAndGet();
                Map<String, AttributeValue> item = new LinkedHashMap<>(put.item());
                item.put("overflow", AttributeValue.fromN("1e200")); // beyond what DynamoDB can store
                return put.toBuilder().item(item).build();
            }
            return context.request();
        }
    }

    /** Throttles one scan's outcome write once: the claim is made, the outcome is not. */
    static final class ThrottleOutcomeOnce implements ExecutionInterceptor {
        volatile String scanId;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && scanId != null
                    && put.item().get("scanKey").s().endsWith("#" + scanId)) {
                scanId = null;
                throw ProvisionedThroughputExceededException.builder().message("injected throttling").statusCode(400).build();
            }
        }
    }

    @Test
    void aScanTheStoreRefusesIsStoredAsUnprocessableAndTheRestOfItsBatchAndTheNextAreDecided(Emulators emulators) {
        var refuse = new RefuseContent();
        var h = new IngestHarness(emulators, refuse);
        Instant t = h.now.minus(Duration.ofMinutes(30));
        List<Object> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) first.add(h.scan("p-" + (300 + i), "north", t.plusSeconds(i)));
        @SuppressWarnings("unchecked")
        Map<String, Object> poisoned = (Map<String, Object>) first.get(4);
        poisoned.put("deviceInfo", Map.of("model", "GR-2"));
        refuse.scanId = (String) poisoned.get("scanId");
        List<Object> next = new ArrayList<>();
        for (int i = 0; i < 5; i++) next.add(h.scan("p-" + (400 + i), "south", t.plusSeconds(i)));

        h.publish(first);
        try (var mapping = h.mapping(h.newFunction(), 100)) {
            mapping.pollUntilCaughtUp(Duration.ofSeconds(60));
            h.publish(next);
            mapping.pollUntilCaughtUp(Duration.ofSeconds(60));
            var counters = mapping.counters();
            assertEquals(0, counters.functionErrors() + counters.partialFailures(), "nothing failed: " + counters);
            assertEquals(0, counters.retries(), "and nothing was retried: " + counters);
        }
        assertTrue(refuse.refused.get() >= 1, "the store refused the poisoned scan");
        Outcome stored = h.outcomes.get(new ScanRef(h.eventId, refuse.scanId)).orElseThrow();
        assertEquals(RejectReason.UNPROCESSABLE, stored.reason());
        assertTrue(stored.detail().startsWith("the store refused it: DynamoDbException"), stored.detail());
        assertEquals(15, h.storedOutcomes());
        List<Object> good = new ArrayList<>(first);
        good.remove(poisoned);
        good.addAll(next);
        for (Object m : good) assertEquals(Verdict.ACCEPTED, outcome(h, (Map<?, ?>) m).verdict());
        assertEquals(List.of(), WindowSlots.read(h.dynamo, h.settings.windowsTable()).violations(h.eventId, h.outcomes),
                "the refused scan holds no claim");
    }

    @Test
    void twoBodiesOfOneScanIdOnTwoInstancesAtOnceStoreOneOutcomeAndLeaveNoOtherClaim(Emulators emulators) throws Exception {
        var h = new IngestHarness(emulators);
        Instant t = h.now.minus(Duration.ofMinutes(40));
        for (int round = 0; round < 8; round++) {
            Map<String, Object> a = h.scan("p-" + (500 + round), "north", t);
            Map<String, Object> b = h.scan("p-" + (600 + round), "south", t.plusSeconds(5));
            b.put("scanId", a.get("scanId"));
            race(h, List.of(List.of(a), List.of(b)));
            Outcome stored = h.outcomes.get(new ScanRef(h.eventId, (String) a.get("scanId"))).orElseThrow();
            assertEquals(Verdict.ACCEPTED, stored.verdict());
            // claims only: when the time falls in the lane's edge bucket (one lane in five) the claim has a mirror too
            var claims = WindowSlots.read(h.dynamo, h.settings.windowsTable()).of(h.eventId).stream()
                    .filter(s -> s.scanId().equals(a.get("scanId")) && !s.mirror()).toList();
            assertEquals(1, claims.size(), "one claim for the id, the stored body's: " + claims);
            assertTrue(claims.get(0).windowKey().contains("#" + stored.gateId() + "#"), "the stored body's lane: " + claims);
        }
        assertEquals(List.of(), WindowSlots.read(h.dynamo, h.settings.windowsTable()).violations(h.eventId, h.outcomes));
    }

    @Test
    void aBodyWhoseTimeMovedUnderAClaimedIdIsRefusedByItsSourceAndTheFirstBodyKeepsItsClaim(Emulators emulators) {
        var throttle = new ThrottleOutcomeOnce();
        var h = new IngestHarness(emulators, throttle);
        Instant around = h.now.minus(Duration.ofMinutes(110));
        // inside a block of the lane's grid, and across the edge between two of its blocks
        Instant edge = edgeOf(h, "p-701", around);
        Instant inner = Instant.ofEpochMilli((WindowRule.bucketOf(edgeOf(h, "p-700", around)) + 5) * WindowRule.WINDOW_MILLIS);
        movedBody(h, throttle, "p-700", inner);
        movedBody(h, throttle, "p-701", edge);
    }

    private static void movedBody(IngestHarness h, ThrottleOutcomeOnce throttle, String participant, Instant bucketEnd) {
        Map<String, Object> first = h.scan(participant, "north", bucketEnd.minusSeconds(20));
        throttle.scanId = (String) first.get("scanId");
        var failed = invoke(h.newFunction(), List.of(first));
        assertEquals(1, failed.getBatchItemFailures().size(), "claimed, then the outcome write was throttled");

        // the same id with a fresh time, the next bucket, 40 s after its own claim: another body, not a retry
        Map<String, Object> moved = new LinkedHashMap<>(first);
        moved.put("timestamp", bucketEnd.plusSeconds(20).toString());
        var again = invoke(h.newFunction(), List.of(moved));
        assertTrue(again.getBatchItemFailures().isEmpty(), "decided at once: it holds the shard up no longer than that");
        // every page of the table: a filter applies page by page
        var refused = h.dynamo.scanPaginator(b -> b.tableName(h.settings.scansTable()).consistentRead(true)
                .filterExpression("#id = :id AND #r = :r")
                .expressionAttributeNames(Map.of("#id", "scanId", "#r", "reason"))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS((String) first.get("scanId")),
                        ":r", AttributeValue.fromS("idempotency_key_reused")))).items().stream().toList();
        assertEquals(1, refused.size(), "the moved body is kept, by its source: " + refused);
        assertTrue(refused.get(0).get("scanKey").s().startsWith("refused#"), "it does not take the id: " + refused);
        assertTrue(h.outcomes.get(new ScanRef(h.eventId, (String) first.get("scanId"))).isEmpty());
        var claims = WindowSlots.read(h.dynamo, h.settings.windowsTable()).of(h.eventId).stream()
                .filter(s -> s.scanId().equals(first.get("scanId"))).toList();
        assertTrue(!claims.isEmpty() && claims.stream().allMatch(s -> s.at().equals(bucketEnd.minusSeconds(20))),
                "the first body's claim (and mirror) stays, untouched: " + claims);

        // the stream redelivers the first body: it is accepted on its claim
        assertTrue(invoke(h.newFunction(), List.of(first)).getBatchItemFailures().isEmpty());
        assertEquals(Verdict.ACCEPTED, outcome(h, first).verdict());
        assertEquals(bucketEnd.minusSeconds(20), outcome(h, first).scan().scannedAt());
        assertEquals(List.of(), WindowSlots.read(h.dynamo, h.settings.windowsTable()).violations(h.eventId, h.outcomes));
    }

    @Test
    void scansAcrossABlockEdgeCollideAndRacingOnTwoInstancesExactlyOneIsAccepted(Emulators emulators) throws Exception {
        var h = new IngestHarness(emulators);
        Instant around = h.now.minus(Duration.ofMinutes(60));
        // in order: the later block's scan is a duplicate of the earlier block's, and the other way round
        Instant edge = edgeOf(h, "p-800", around);
        Map<String, Object> before = h.scan("p-800", "north", edge.minusSeconds(100));
        Map<String, Object> after = h.scan("p-800", "north", edge.plusSeconds(100));
        invoke(h.newFunction(), List.of(before));
        invoke(h.newFunction(), List.of(after));
        assertEquals(Verdict.DUPLICATE, outcome(h, after).verdict());
        assertEquals(before.get("scanId"), outcome(h, after).firstScanId());
        edge = edgeOf(h, "p-801", around);
        Map<String, Object> late = h.scan("p-801", "north", edge.plusSeconds(100));
        Map<String, Object> lateOlder = h.scan("p-801", "north", edge.minusSeconds(100));
        invoke(h.newFunction(), List.of(late));
        invoke(h.newFunction(), List.of(lateOlder));
        assertEquals(Verdict.DUPLICATE, outcome(h, lateOlder).verdict(), "an older scan uploaded late collides too");

        for (int round = 0; round < 8; round++) {
            edge = edgeOf(h, "p-" + (810 + round), around);
            Map<String, Object> x = h.scan("p-" + (810 + round), "north", edge.minusSeconds(30 + round));
            Map<String, Object> y = h.scan("p-" + (810 + round), "north", edge.plusSeconds(30 + round));
            race(h, List.of(List.of(x), List.of(y)));
            Outcome ox = outcome(h, x);
            Outcome oy = outcome(h, y);
            assertEquals(1, (ox.isAccepted() ? 1 : 0) + (oy.isAccepted() ? 1 : 0), "round " + round + ": " + ox + oy);
            Outcome duplicate = ox.isAccepted() ? oy : ox;
            assertEquals(Verdict.DUPLICATE, duplicate.verdict());
            assertEquals((ox.isAccepted() ? ox : oy).scanId(), duplicate.firstScanId());
        }
        assertEquals(List.of(), WindowSlots.read(h.dynamo, h.settings.windowsTable()).violations(h.eventId, h.outcomes));
    }

    @Test
    void eightHoursOfOneBadgeBesideAGateKeepEveryWindowItemUnderTwoKilobytes(Emulators emulators) {
        var h = new IngestHarness(emulators);
        String event = h.eventId + "-long";
        var reference = new DynamoReferenceData(h.dynamo, h.settings.referenceTable());
        reference.save(new AttendanceEvent(event, "Two-day fair", h.now.minus(Duration.ofHours(9)),
                h.now.plus(Duration.ofHours(40)), ZoneId.of("UTC"), Duration.ofMinutes(2), 0.8, 0.3));
        reference.save(new Gate(event, "north", "North", true, 30));
        reference.saveAll(List.of(new Participant(event, "staff-badge-with-a-long-participant-id-0001", "active")));

        // a BLE badge seen every 10 s for 8 hours, uploaded in batches as a gate would
        Instant from = h.now.minus(Duration.ofHours(8));
        List<Object> sightings = new ArrayList<>();
        for (Instant at = from; at.isBefore(h.now); at = at.plusSeconds(10)) {
            Map<String, Object> m = h.scan("staff-badge-with-a-long-participant-id-0001", "north", at);
            m.put("eventId", event);
            m.put("method", "ble_auto");
            sightings.add(m);
        }
        IngestFunction function = h.newFunction();
        for (int i = 0; i < sightings.size(); i += 500) {
            assertTrue(invoke(function, sightings.subList(i, Math.min(sightings.size(), i + 500))).getBatchItemFailures().isEmpty());
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        sightings.forEach(m -> ids.add((String) ((Map<?, ?>) m).get("scanId")));
        long accepted = ids.stream().filter(id -> h.outcomes.get(new ScanRef(event, id)).orElseThrow().isAccepted()).count();
        assertTrue(accepted >= 90 && accepted <= 96, "about one accepted per 5 min 10 s: " + accepted);
        // the badge's items: its lane is long, so they are keyed by its hash; they are the items naming its scans
        List<Map<String, AttributeValue>> items = WindowSlots.read(h.dynamo, h.settings.windowsTable()).items().stream()
                .filter(i -> i.values().stream().anyMatch(v -> v.hasM() && ids.contains(v.m().get("id").s()))).toList();
        int largest = items.stream().mapToInt(ItemSize::bytes).max().orElseThrow();
        System.out.printf("8 h of one badge: %d sightings, %d accepted, %d window items, largest %d bytes = %d WRU a claim%n",
                sightings.size(), accepted, items.size(), largest, ItemSize.writeUnits(largest));
        assertTrue(items.size() >= 9, "one item per 50-minute block: " + items.size());
        assertTrue(largest <= 2048, "a claim stays within 2 WRU: " + largest + " bytes");
        long expiresAt = Long.parseLong(items.get(0).get("expiresAt").n());
        assertEquals(h.now.plus(Duration.ofHours(41)).plus(h.settings.dedupRetention()).getEpochSecond(), expiresAt, 1,
                "kept until the event's last scan time plus the retention, in event time");
    }

    /** Where two blocks of the participant's entry lane at gate north meet, after {@code around}. */
    static Instant edgeOf(IngestHarness h, String participant, Instant around) {
        return WindowRule.nextBlockEdge(around, WindowRule.offsetOf(h.eventId + "#" + participant + "#north#entry"));
    }

    private static Outcome outcome(IngestHarness h, Map<?, ?> message) {
        return h.outcomes.get(new ScanRef(h.eventId, (String) message.get("scanId"))).orElseThrow();
    }

    static com.amazonaws.services.lambda.runtime.events.StreamsEventResponse invoke(IngestFunction function,
                                                                                     List<?> messages) {
        List<byte[]> records = messages.stream().map(IngestHarness::ruleRecord).toList();
        return function.handleRequest(KinesisEvents.of(records, SEQUENCE.getAndAdd(messages.size())),
                new LocalContext("IngestFunction", Duration.ofMinutes(1)));
    }

    /** Each list of messages delivered to its own instance of the function, all at the same moment. */
    static void race(IngestHarness h, List<List<Map<String, Object>>> deliveries) throws Exception {
        CyclicBarrier start = new CyclicBarrier(deliveries.size());
        List<CompletableFuture<?>> running = new ArrayList<>();
        for (List<Map<String, Object>> delivery : deliveries) {
            IngestFunction function = h.newFunction();
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                assertFalse(invoke(function, delivery).getBatchItemFailures().size() > 0, "decided");
            }));
        }
        for (CompletableFuture<?> f : running) f.get();
    }
}
