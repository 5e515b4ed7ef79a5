package com.headcount.core.decision;

import static com.headcount.testing.Scans.END;
import static com.headcount.testing.Scans.START;
import static com.headcount.testing.Scans.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.scan.Direction;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanParser;
import com.headcount.testing.InMemoryStores;
import com.headcount.testing.Scans;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatekeeperTest {

    static final Instant NOON = Instant.parse("2026-11-26T12:00:00Z");

    final InMemoryStores.Reference reference = Scans.reference();
    final InMemoryStores.Window window = new InMemoryStores.Window();
    final InMemoryStores.Log log = new InMemoryStores.Log();
    final InMemoryStores.Published published = new InMemoryStores.Published();
    final Gatekeeper gatekeeper = new Gatekeeper(reference, window, log, published,
            Clock.fixed(Instant.parse("2026-11-26T20:00:00Z"), ZoneOffset.UTC));

    /** Decides one scan as if it arrived when it was made (no skew). */
    Outcome decide(Scan scan) {
        return decide(scan, scan.scannedAt());
    }

    Outcome decide(Scan scan, Instant receivedAt) {
        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival("src-" + scan.scanId(), new ParsedScan.Valid(scan), receivedAt)));
        assertTrue(result.complete(), "decided without failure");
        return result.outcomes().get(0);
    }

    @Test
    void acceptsAKnownActiveParticipantAtAnActiveGate() {
        Outcome outcome = decide(scan("p-1", "north", NOON));
        assertEquals(Verdict.ACCEPTED, outcome.verdict());
        assertEquals(List.of(outcome), published.records, "the accepted scan is published once");
    }

    @Test
    void rejectsEachReferenceProblemWithItsReason() {
        assertEquals(RejectReason.PARTICIPANT_NOT_FOUND, decide(scan("p-unknown", "north", NOON)).reason());
        assertEquals(RejectReason.PARTICIPANT_INACTIVE, decide(scan("p-cancelled", "north", NOON)).reason());
        assertEquals(RejectReason.GATE_NOT_FOUND, decide(scan("p-1", "nowhere", NOON)).reason());
        assertEquals(RejectReason.GATE_NOT_FOUND, decide(scan("p-1", "closed", NOON)).reason());
        assertTrue(published.records.isEmpty(), "nothing rejected is published");
        assertEquals(4, log.byScan.size(), "every reject is stored");
    }

    @Test
    void participantIsCheckedBeforeGate() {
        assertEquals(RejectReason.PARTICIPANT_NOT_FOUND, decide(scan("p-unknown", "nowhere", NOON)).reason());
    }

    @ParameterizedTest(name = "scanned {0} relative to {1} → {2}")
    @CsvSource({
            "-PT1H, start, ACCEPTED",
            "-PT1H0.001S, start, REJECTED",
            "PT1H, end, ACCEPTED",
            "PT1H0.001S, end, REJECTED"})
    void eventWindowBoundsAreIncluded(String offset, String anchor, Verdict expected) {
        Instant at = (anchor.equals("start") ? START : END).plus(Duration.parse(offset));
        Outcome outcome = decide(scan("p-1", "north", at));
        assertEquals(expected, outcome.verdict());
        if (expected == Verdict.REJECTED) assertEquals(RejectReason.OUTSIDE_EVENT_WINDOW, outcome.reason());
    }

    @ParameterizedTest(name = "device clock {0} ahead → {1}")
    @CsvSource({"PT2M, ACCEPTED", "PT2M0.001S, REJECTED", "-PT3H, ACCEPTED"})
    void clockSkewBeyondTheEventsToleranceIsRejected(String ahead, Verdict expected) {
        Scan scan = scan("p-1", "north", NOON);
        Outcome outcome = decide(scan, NOON.minus(Duration.parse(ahead)));
        assertEquals(expected, outcome.verdict());
        if (expected == Verdict.REJECTED) assertEquals(RejectReason.CLOCK_SKEW, outcome.reason());
    }

    @ParameterizedTest(name = "second scan {0} ms later → {1}")
    @CsvSource({"299999, DUPLICATE", "300000, DUPLICATE", "300001, ACCEPTED", "-300000, DUPLICATE", "-300001, ACCEPTED"})
    void fiveMinuteWindowBoundsInEitherDirection(long deltaMillis, Verdict expected) {
        Scan first = scan("p-1", "north", NOON);
        decide(first);
        Outcome second = decide(scan("p-1", "north", NOON.plusMillis(deltaMillis)));
        assertEquals(expected, second.verdict());
        if (expected == Verdict.DUPLICATE) {
            assertEquals(first.scanId(), second.firstScanId(), "answered with the first scan's id");
            assertEquals(first.scannedAt(), second.firstScannedAt(), "and its time");
        }
    }

    @Test
    void lateUploadOlderByFourMinutesIsADuplicateBySixMinutesIsAccepted() {
        decide(scan("p-1", "north", NOON));
        assertEquals(Verdict.DUPLICATE, decide(scan("p-1", "north", NOON.minus(Duration.ofMinutes(4)))).verdict());
        assertEquals(Verdict.ACCEPTED, decide(scan("p-1", "north", NOON.minus(Duration.ofMinutes(6)))).verdict());
    }

    @Test
    void otherGatesOtherParticipantsAndExitsDoNotCollideWithAnEntry() {
        decide(scan("p-1", "north", NOON));
        assertEquals(Verdict.ACCEPTED, decide(scan("p-1", "south", NOON.plusSeconds(10))).verdict(), "other gate");
        assertEquals(Verdict.ACCEPTED, decide(scan("p-2", "north", NOON.plusSeconds(10))).verdict(), "other participant");
        Scan exit = Scans.scan("exit-1", "p-1", "north", NOON.plusSeconds(20), Direction.EXIT);
        assertEquals(Verdict.ACCEPTED, decide(exit).verdict(), "exit at the same gate");
        Scan secondExit = Scans.scan("exit-2", "p-1", "north", NOON.plusSeconds(60), Direction.EXIT);
        assertEquals(Verdict.DUPLICATE, decide(secondExit).verdict(), "exits dedupe among themselves");
    }

    @Test
    void theSameScanDeliveredAgainGetsTheSameOutcomeAndNoSecondRecord() {
        Scan scan = scan("p-1", "north", NOON);
        Outcome first = decide(scan);
        Outcome again = decide(scan, NOON.plusSeconds(30));
        assertEquals(first, again);
        assertEquals(1, log.byScan.size());
    }

    @Test
    void aReplayArrivingLaterKeepsItsFirstRejectionEvenIfItWouldPassNow() {
        Scan scan = scan("p-1", "north", NOON);
        Outcome skewed = decide(scan, NOON.minus(Duration.ofMinutes(10)));
        assertEquals(RejectReason.CLOCK_SKEW, skewed.reason());
        Outcome replay = decide(scan, NOON);
        assertEquals(skewed, replay, "the first stored outcome stands");
        assertTrue(window.claimed().isEmpty(), "a rejected scan holds no window");
    }

    @Test
    void losingTheOutcomeRaceToARejectionGivesTheClaimBack() {
        Scan scan = scan("p-1", "north", NOON);
        // another instance stored a rejection for this scan id between our look-up and our write
        OutcomeLog racing = new OutcomeLog() {
            @Override
            public java.util.Map<ScanRef, Outcome> find(java.util.Collection<ScanRef> scans) {
                return java.util.Map.of();
            }

            @Override
            public Outcome recordFirst(Outcome outcome) {
                return Outcome.rejected("other", scan, RejectReason.CLOCK_SKEW, "raced", NOON, NOON);
            }

            @Override
            public void recordRefused(java.util.Collection<Outcome> outcomes) {}
        };
        var keeper = new Gatekeeper(reference, window, racing, published, Clock.systemUTC());
        var result = keeper.decide(List.of(new Gatekeeper.Arrival("s", new ParsedScan.Valid(scan), NOON)));
        assertEquals(Verdict.REJECTED, result.outcomes().get(0).verdict());
        assertTrue(window.claimed().isEmpty(), "the claim was released");
        assertTrue(published.records.isEmpty());
    }

    @Test
    void malformedMessagesAreStoredByTheirSourceAndNeverStopTheBatch() {
        ParsedScan garbage = new ScanParser().parse("{not json".getBytes(StandardCharsets.UTF_8));
        Scan good = scan("p-1", "north", NOON);
        var result = gatekeeper.decide(List.of(
                new Gatekeeper.Arrival("shard-0:1", garbage, NOON),
                new Gatekeeper.Arrival("shard-0:2", new ParsedScan.Valid(good), NOON)));
        assertTrue(result.complete());
        assertEquals(RejectReason.MALFORMED, result.outcomes().get(0).reason());
        assertEquals(Verdict.ACCEPTED, result.outcomes().get(1).verdict());
        assertEquals("body: not a JSON object", log.malformed.get("shard-0:1").detail());
    }

    @Test
    void aFailingWriteStopsTheBatchAtThatScanAndTheRedeliveryCompletesIt() {
        Scan a = scan("p-1", "north", NOON);
        Scan b = scan("p-2", "north", NOON);
        Scan c = scan("p-1", "south", NOON);
        var arrivals = List.of(arrival(a), arrival(b), arrival(c));
        log.failOnceFor = b.scanId();

        var first = gatekeeper.decide(arrivals);
        assertFalse(first.complete());
        assertEquals(1, first.outcomes().size(), "decided up to the failing scan");
        assertEquals(2, published.records.size(), "what was decided (before and after the failure) is published");

        var redelivery = gatekeeper.decide(arrivals.subList(1, 3));
        assertTrue(redelivery.complete());
        assertEquals(3, log.byScan.size());
        assertEquals(3, published.records.stream().map(Outcome::scanId).distinct().count(),
                "each accepted scan published (again after a redelivery: the statistics count a scan id once)");
        assertTrue(log.byScan.values().stream().allMatch(Outcome::isAccepted));
    }

    @Test
    void anUnpublishedAcceptedScanIsRepublishedWhenItIsRedelivered() {
        Scan a = scan("p-1", "north", NOON);
        Scan b = scan("p-2", "north", NOON);
        published.failOnce.add(b.scanId());
        var first = gatekeeper.decide(List.of(arrival(a), arrival(b)));
        assertFalse(first.complete());
        assertEquals(1, first.outcomes().size(), "the batch resumes at the unpublished scan");

        var again = gatekeeper.decide(List.of(arrival(b)));
        assertTrue(again.complete());
        assertEquals(List.of(a.scanId(), b.scanId()), published.records.stream().map(Outcome::scanId).toList());
    }

    @Test
    void theSameScanTwiceInOneBatchIsDecidedAndPublishedOnce() {
        Scan a = scan("p-1", "north", NOON);
        var result = gatekeeper.decide(List.of(arrival(a), arrival(a)));
        assertSame(result.outcomes().get(0), result.outcomes().get(1));
        assertEquals(1, published.records.size());
    }

    @Test
    void referenceDataIsLookedUpOncePerBatch() {
        gatekeeper.decide(List.of(arrival(scan("p-1", "north", NOON)), arrival(scan("p-2", "south", NOON))));
        assertEquals(1, reference.lookups.get());
    }

    @Test
    void rejectsCarryNoDuplicateFields() {
        Outcome outcome = decide(scan("p-unknown", "north", NOON));
        assertNull(outcome.firstScanId());
    }

    @Test
    void decidedSideBySideTheScansOfOneLaneStillGoInOrderAndAFailureStopsTheBatchAtTheLowestScan() {
        var parallel = new Gatekeeper(reference, window, log, published,
                Clock.fixed(Instant.parse("2026-11-26T20:00:00Z"), ZoneOffset.UTC), 8, FailureClassifier.CORE);
        List<Gatekeeper.Arrival> arrivals = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // p-1 and p-2 at two gates: four lanes, each with ten scans a minute apart
            arrivals.add(arrival(scan(i % 2 == 0 ? "p-1" : "p-2", i % 4 < 2 ? "north" : "south", NOON.plusSeconds(60L * i))));
        }
        String failing = ((ParsedScan.Valid) arrivals.get(21).parsed()).scan().scanId();
        log.failOnceFor = failing;

        var first = parallel.decide(arrivals);
        assertFalse(first.complete());
        assertEquals(21, first.outcomes().size(), "complete up to the failing scan");

        var rest = parallel.decide(arrivals.subList(21, 40));
        assertTrue(rest.complete());
        // in each lane, a scan every 4 minutes: accepted, then duplicates until more than 5 minutes have passed
        for (int i = 0; i < 40; i++) {
            Scan s = ((ParsedScan.Valid) arrivals.get(i).parsed()).scan();
            Verdict expected = (i / 4) % 2 == 0 ? Verdict.ACCEPTED : Verdict.DUPLICATE;
            assertEquals(expected, log.byScan.get(ScanRef.of(s)).verdict(), "scan " + i);
        }
        assertEquals(20, published.records.stream().map(Outcome::scanId).distinct().count(),
                "each accepted scan published");
    }

    @Test
    void aScanTheStoreRefusesIsStoredAsUnprocessableAndTheBatchGoesOn() {
        Scan refused = scan("p-1", "north", NOON);
        Scan next = scan("p-1", "north", NOON.plusSeconds(30));
        Scan other = scan("p-2", "north", NOON);
        log.refuseContentOf = refused.scanId();
        var result = gatekeeper.decide(List.of(arrival(refused), arrival(next), arrival(other)));
        assertTrue(result.complete(), "a permanent error does not stop the batch");
        Outcome stored = log.byScan.get(ScanRef.of(refused));
        assertEquals(RejectReason.UNPROCESSABLE, stored.reason());
        assertTrue(stored.detail().contains("item too large"), stored.detail());
        assertEquals(Verdict.ACCEPTED, log.byScan.get(ScanRef.of(next)).verdict(),
                "its claim was given back, so the next scan 30 s later is accepted, not a duplicate of it");
        assertEquals(Verdict.ACCEPTED, log.byScan.get(ScanRef.of(other)).verdict());
        assertEquals(List.of(next.scanId(), other.scanId()), window.claimed().stream().map(Scan::scanId).sorted(
                java.util.Comparator.comparing(id -> id.equals(next.scanId()) ? 0 : 1)).toList());
    }

    @Test
    void oneScanIdWithTwoBodiesInOneBatchStoresOneOutcomeAndLeavesNoOtherClaim() {
        Scan first = Scans.scan("same-id", "p-1", "north", NOON, Direction.ENTRY);
        Scan reused = Scans.scan("same-id", "p-2", "south", NOON, Direction.ENTRY);
        var parallel = new Gatekeeper(reference, window, log, published, Clock.systemUTC(), 8, FailureClassifier.CORE);
        var result = parallel.decide(List.of(arrival(first), arrival(reused)));
        assertTrue(result.complete());
        assertEquals(1, log.byScan.size(), "one outcome for the id");
        Outcome stored = log.byScan.values().iterator().next();
        assertEquals(1, window.claimed().size(), "only the stored body holds a claim");
        assertTrue(window.claimed().get(0).sameScanAs(stored.scan()));
        assertEquals(Verdict.ACCEPTED, decide(scan("p-1".equals(stored.participantId()) ? "p-2" : "p-1",
                "p-1".equals(stored.participantId()) ? "south" : "north", NOON.plusSeconds(10))).verdict(),
                "the other body's participant and gate are free");
    }

    @Test
    void aClaimLeftByAFailedOutcomeWriteIsGivenBackWhenARuleRefusesTheRedelivery() {
        Scan scan = scan("p-2", "north", NOON);
        log.failOnceFor = scan.scanId();
        assertFalse(gatekeeper.decide(List.of(arrival(scan))).complete(), "claimed, then the outcome write failed");
        assertEquals(1, window.claimed().size());
        // the organiser cancels the participant before Lambda delivers the scan again
        reference.put(new com.headcount.core.reference.ReferenceKey.OfParticipant(Scans.EVENT, "p-2"),
                new com.headcount.core.reference.Participant(Scans.EVENT, "p-2", "cancelled"));
        var again = gatekeeper.decide(List.of(arrival(scan)));
        assertEquals(RejectReason.PARTICIPANT_INACTIVE, again.outcomes().get(0).reason());
        assertTrue(window.claimed().isEmpty(), "no claim outlives a scan that was not accepted");
    }

    @Test
    void aScanForAnotherGateThanItsTopicIsRefusedUnderTheTopicsGateAndTouchesNothing() {
        Scan vip = scan("p-1", "north", NOON);
        var foreign = new ParsedScan.ForeignTopic(vip, Scans.EVENT, "south");
        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival("shard-0:7", foreign, NOON)));
        Outcome o = result.outcomes().get(0);
        assertEquals(RejectReason.TOPIC_MISMATCH, o.reason());
        assertEquals("south", o.gateId(), "answered on the topic's gate");
        assertEquals(o, log.malformed.get("shard-0:7"), "stored by its source, not under the scan id");
        assertTrue(log.byScan.isEmpty() && window.claimed().isEmpty() && published.records.isEmpty());
        assertEquals(Verdict.ACCEPTED, decide(vip).verdict(), "the real north gate's scan of the same id still counts");
    }

    Outcome decide(Scan scan, Provisional gate) {
        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival("src-" + scan.scanId(),
                new ParsedScan.Valid(scan, gate.readable() ? gate.toMap() : "unreadable"), scan.scannedAt())));
        assertTrue(result.complete(), "decided without failure");
        return result.outcomes().get(0);
    }

    @Test
    void theGatesProvisionalIsStoredBesideTheCloudsVerdictAndARefusalTheGateLetInIsPublishedForCounting() {
        Provisional letIn = Provisional.of(Verdict.ACCEPTED, null, 7);
        Outcome inactive = decide(scan("p-cancelled", "north", NOON), letIn);
        assertEquals(RejectReason.PARTICIPANT_INACTIVE, inactive.reason(), "the cloud decides, whatever the gate said");
        assertEquals(letIn, inactive.provisional());
        assertEquals(inactive, log.byScan.values().iterator().next(), "stored with the provisional");
        assertEquals(List.of(inactive), published.records, "a refusal the gate let in goes to the statistics");

        Outcome accepted = decide(scan("p-1", "north", NOON), Provisional.of(Verdict.DUPLICATE, null, 7));
        assertEquals(Verdict.ACCEPTED, accepted.verdict());
        assertEquals(java.util.Optional.of(EdgeMismatch.CLOUD_ACCEPTED_GATE_REFUSED), accepted.edgeMismatch());
        Outcome duplicate = decide(scan("p-1", "north", NOON.plusSeconds(60)),
                Provisional.of(Verdict.DUPLICATE, null, 7));
        assertEquals(Verdict.DUPLICATE, duplicate.verdict());
        Outcome unread = decide(scan("p-unknown", "north", NOON), Provisional.malformed("provisional: expected an object"));
        assertEquals(Provisional.malformed("provisional: expected an object"), unread.provisional());
        assertEquals(RejectReason.PARTICIPANT_NOT_FOUND, unread.reason(), "an unreadable provisional decides nothing");
        assertEquals(List.of(inactive, accepted), published.records,
                "agreeing refusals and unreadable provisionals are not published");
    }

    @Test
    void aRedeliveryWithAnotherProvisionalKeepsTheFirstOneStored() {
        Scan s = scan("p-cancelled", "north", NOON);
        Outcome first = decide(s, Provisional.of(Verdict.ACCEPTED, null, 7));
        Outcome again = decide(s, Provisional.of(Verdict.REJECTED, RejectReason.PARTICIPANT_INACTIVE, 8));
        assertEquals(first, again, "the first outcome, provisional included, is the one that counts");
        assertEquals(List.of(first, first), published.records, "published again, as accepted scans are: counted once");
    }

    @Test
    void aSecondBodyUnderAClaimedIdIsRefusedByItsSourceAndTheFirstBodyKeepsTheIdAndItsClaim() {
        Scan first = scan("p-1", "north", NOON.plusSeconds(280));
        log.failOnceFor = first.scanId();
        assertFalse(gatekeeper.decide(List.of(arrival(first))).complete(), "claimed, then the outcome write failed");
        // the same id with its time moved 40 s, into the next bucket: another body, not a retry
        Scan moved = Scans.scan(first.scanId(), "p-1", "north", NOON.plusSeconds(320), Direction.ENTRY);
        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival("shard-0:2", new ParsedScan.Valid(moved),
                moved.scannedAt())));
        assertTrue(result.complete(), "decided at once: a stable answer holds no stream up");
        Outcome refused = result.outcomes().get(0);
        assertEquals("idempotency_key_reused", refused.reason().code(), refused.toString());
        assertEquals(refused, log.malformed.get("shard-0:2"), "kept by its source, with the body as sent");
        assertNull(log.byScan.get(ScanRef.of(first)), "the id is not taken by the second body");
        assertEquals(Verdict.ACCEPTED, decide(first).verdict(), "the first body's redelivery is accepted");
        Scan next = scan("p-1", "north", NOON.plusSeconds(500));
        assertEquals(first.scanId(), decide(next).firstScanId(), "and its claim stood throughout");
    }

    @Test
    void anHttpScanWhoseOutcomeWriteFailedGivesItsClaimBackSoARescanWithANewKeyIsAccepted() {
        Scan lost = scan("p-1", "north", NOON);
        log.failOnceFor = lost.scanId();
        assertFalse(gatekeeper.decide(List.of(overHttp(lost))).complete(), "answered 503: retry with the same key");
        Scan rescan = scan("p-1", "north", NOON.plusSeconds(20)); // the phone scans the badge again, a new key
        Outcome o = gatekeeper.decide(List.of(overHttp(rescan))).outcomes().get(0);
        assertEquals(Verdict.ACCEPTED, o.verdict(), "not the duplicate of a scan nobody can find: " + o);
        assertNull(log.byScan.get(ScanRef.of(lost)));
    }

    @Test
    void anHttpOutcomeWriteThatWasStoredThoughItReportedAFailureKeepsItsClaim() {
        Scan stored = scan("p-1", "north", NOON);
        log.storeThenFailOnceFor = stored.scanId();
        assertFalse(gatekeeper.decide(List.of(overHttp(stored))).complete());
        assertEquals(Verdict.ACCEPTED, log.byScan.get(ScanRef.of(stored)).verdict());
        Outcome rescan = gatekeeper.decide(List.of(overHttp(scan("p-1", "north", NOON.plusSeconds(20))))).outcomes().get(0);
        assertEquals(stored.scanId(), rescan.firstScanId(), "the stored scan kept its claim: " + rescan);
    }

    static Gatekeeper.Arrival overHttp(Scan scan) {
        return new Gatekeeper.Arrival("http:" + scan.scanId(), new ParsedScan.Valid(scan), scan.scannedAt(), true);
    }

    static Gatekeeper.Arrival arrival(Scan scan) {
        return new Gatekeeper.Arrival("src-" + scan.scanId(), new ParsedScan.Valid(scan), scan.scannedAt());
    }

    @Test
    void aGateThatRefusesOnNewerReferenceDataMakesTheCloudReadPastItsCache() {
        // the cloud's cache read p-1 as active; the organiser then cancels p-1, and a gate hears of it first
        var cached = new com.headcount.core.reference.CachedReferenceData(reference, Clock.fixed(NOON, ZoneOffset.UTC),
                java.time.Duration.ofSeconds(15), 100);
        var cloud = new Gatekeeper(cached, window, log, published, Clock.fixed(NOON, ZoneOffset.UTC));
        Scan before = scan("p-1", "north", NOON);
        assertEquals(Verdict.ACCEPTED, cloud.decide(List.of(arrival(before))).outcomes().get(0).verdict());
        reference.put(new com.headcount.core.reference.ReferenceKey.OfParticipant(Scans.EVENT, "p-1"),
                new com.headcount.core.reference.Participant(Scans.EVENT, "p-1", "cancelled"));

        Scan atOtherGate = scan("p-1", "south", NOON.plusSeconds(5));
        Provisional refused = Provisional.of(Verdict.REJECTED, RejectReason.PARTICIPANT_INACTIVE, 2);
        Outcome o = cloud.decide(List.of(new Gatekeeper.Arrival("src-x", new ParsedScan.Valid(atOtherGate,
                refused.toMap()), atOtherGate.scannedAt()))).outcomes().get(0);
        assertEquals(RejectReason.PARTICIPANT_INACTIVE, o.reason(), "the final answer is not older than the gate's: " + o);
        assertTrue(o.edgeMismatch().isEmpty(), "no mismatch: both refused");
        Scan third = scan("p-1", "north", NOON.plusSeconds(6));
        assertEquals(RejectReason.PARTICIPANT_INACTIVE, cloud.decide(List.of(arrival(third))).outcomes().get(0).reason(),
                "and the cache holds what it read again");
    }
}
