package com.headcount.local.ingest;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The real IngestFunction, run by the event source mapping runner on dynalite and kinesis-local. */
@ExtendWith(Emulators.Extension.class)
class IngestPipelineTest {

    static final Duration CATCH_UP = Duration.ofSeconds(60);
    static Emulators emulators;

    @BeforeAll
    static void start(Emulators started) {
        emulators = started;
    }

    @Test
    void aMixedBatchGetsEveryOutcomeStoredAndOnlyAcceptedScansPublished() {
        var h = new IngestHarness(emulators);
        Instant t = h.now.minus(Duration.ofMinutes(30));
        Map<String, Object> accepted = h.scan("p-1", "north", t);
        Map<String, Object> duplicate = h.scan("p-1", "north", t.plus(Duration.ofMinutes(2)));
        Map<String, Object> otherGate = h.scan("p-1", "south", t.plus(Duration.ofMinutes(2)));
        Map<String, Object> unknown = h.scan("p-nobody", "north", t);
        Map<String, Object> cancelled = h.scan("p-cancelled", "north", t);
        Map<String, Object> noGate = h.scan("p-2", "west", t);
        Map<String, Object> closedGate = h.scan("p-2", "closed", t);
        Map<String, Object> tooEarly = h.scan("p-3", "north", h.now.minus(Duration.ofHours(4).plusSeconds(1)));
        Map<String, Object> fromTheFuture = h.scan("p-4", "north", h.now.plus(Duration.ofMinutes(20)));
        Map<String, Object> badMethod = h.scan("p-5", "north", t);
        badMethod.put("method", "telepathy");
        List<Object> messages = List.of(accepted, duplicate, otherGate, unknown, cancelled, noGate, closedGate,
                tooEarly, fromTheFuture, badMethod, "{\"scanId\": broken json");

        var results = h.publish(messages);
        try (var mapping = h.mapping(h.newFunction(), 100)) {
            mapping.pollUntilCaughtUp(CATCH_UP);
        }

        assertOutcome(h, accepted, Verdict.ACCEPTED, null);
        Outcome dup = assertOutcome(h, duplicate, Verdict.DUPLICATE, null);
        assertEquals(accepted.get("scanId"), dup.firstScanId(), "a duplicate names the accepted scan");
        assertEquals(Instant.parse((String) accepted.get("timestamp")), dup.firstScannedAt());
        assertOutcome(h, otherGate, Verdict.ACCEPTED, null);
        assertOutcome(h, unknown, Verdict.REJECTED, RejectReason.PARTICIPANT_NOT_FOUND);
        assertOutcome(h, cancelled, Verdict.REJECTED, RejectReason.PARTICIPANT_INACTIVE);
        assertOutcome(h, noGate, Verdict.REJECTED, RejectReason.GATE_NOT_FOUND);
        assertOutcome(h, closedGate, Verdict.REJECTED, RejectReason.GATE_NOT_FOUND);
        assertOutcome(h, tooEarly, Verdict.REJECTED, RejectReason.OUTSIDE_EVENT_WINDOW);
        assertOutcome(h, fromTheFuture, Verdict.REJECTED, RejectReason.CLOCK_SKEW);

        for (int i : new int[] {9, 10}) {
            var stored = h.dynamo.getItem(b -> b.tableName(h.settings.scansTable()).consistentRead(true)
                    .key(Map.of("scanKey", AttributeValue.fromS("refused#" + results.get(i).shardId() + ":"
                            + results.get(i).sequenceNumber())))).item();
            assertEquals("rejected", stored.get("verdict").s(), "malformed message " + i + " is stored");
            assertEquals("malformed", stored.get("reason").s());
        }
        assertEquals("method: unknown, expected ble_auto, qr_scan or manual", h.dynamo.getItem(b -> b
                .tableName(h.settings.scansTable()).consistentRead(true)
                .key(Map.of("scanKey", AttributeValue.fromS("refused#" + results.get(9).shardId() + ":"
                        + results.get(9).sequenceNumber())))).item().get("detail").s());
        assertEquals(9, h.storedOutcomes(), "one stored outcome per well-formed scan");

        assertEquals(Set.of(accepted.get("scanId"), otherGate.get("scanId")),
                h.recorded().stream().map(Outcome::scanId).collect(Collectors.toSet()),
                "attendance-recorded holds exactly the accepted scans");
        assertTrue(h.onFailure.records().isEmpty(), "nothing went to the on-failure destination");
    }

    @Test
    void theSameBatchDeliveredTwiceGivesIdenticalOutcomesAndNoNewRecords() {
        var h = new IngestHarness(emulators);
        List<Object> messages = new ArrayList<>();
        Instant t = h.now.minus(Duration.ofMinutes(40));
        for (int i = 0; i < 60; i++) {
            // every third scan repeats the participant two minutes later: accepted and duplicates mixed
            messages.add(h.scan("p-" + (i / 3), i % 2 == 0 ? "north" : "south", t.plus(Duration.ofMinutes(i % 3 * 2))));
        }
        messages.add(h.scan("p-nobody", "north", t));
        h.publish(messages);
        try (var mapping = h.mapping(h.newFunction(), 25)) {
            mapping.pollUntilCaughtUp(CATCH_UP);
        }
        Map<ScanRef, Outcome> first = storedOutcomes(h, messages);
        int records = h.storedOutcomes();

        // Lambda redelivering the whole stream to a fresh instance, and the gates replaying every message
        h.publish(messages);
        try (var again = h.mapping(h.newFunction(), 25)) {
            again.pollUntilCaughtUp(CATCH_UP);
        }

        assertEquals(first, storedOutcomes(h, messages), "identical outcomes, decidedAt included");
        assertEquals(records, h.storedOutcomes(), "no second record");
        assertEquals(61, records);
        Set<String> acceptedIds = first.values().stream().filter(Outcome::isAccepted).map(Outcome::scanId)
                .collect(Collectors.toSet());
        assertEquals(acceptedIds, h.recorded().stream().map(Outcome::scanId).collect(Collectors.toSet()),
                "republished, but only accepted scans");
    }

    static Map<ScanRef, Outcome> storedOutcomes(IngestHarness h, List<Object> messages) {
        return messages.stream().map(m -> (Map<?, ?>) m)
                .map(m -> new ScanRef(h.eventId, (String) m.get("scanId")))
                .collect(Collectors.toMap(ref -> ref, ref -> h.outcomes.get(ref).orElseThrow()));
    }

    static Outcome assertOutcome(IngestHarness h, Map<String, Object> message, Verdict verdict, RejectReason reason) {
        Outcome stored = h.outcomes.get(new ScanRef(h.eventId, (String) message.get("scanId")))
                .orElseThrow(() -> new AssertionError("no outcome stored for " + message));
        assertEquals(verdict, stored.verdict(), () -> "verdict of " + message + ": " + stored);
        assertEquals(reason, stored.reason(), () -> "reason of " + message + ": " + stored);
        assertEquals(message.get("participantId"), stored.participantId());
        return stored;
    }
}
