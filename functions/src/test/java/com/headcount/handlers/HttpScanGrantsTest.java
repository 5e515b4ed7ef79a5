package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.testing.ApiEvents;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.UnpublishedScans;
import com.headcount.core.decision.Verdict;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.testing.InMemoryStores;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 point 1: over HTTP a gate-staff token scans only at the gates it names (organisers at every gate), and a
 * scan is not taken when dated further back than the event allows.
 */
class HttpScanGrantsTest {

    static final String EVENT = "fair";
    /** A three-day fair: its scan window alone would let a scan be dated days back. */
    static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    final InMemoryStores.Reference reference = new InMemoryStores.Reference()
            .put(new ReferenceKey.OfEvent(EVENT), AttendanceEvent.withDefaults(EVENT, START,
                    Instant.parse("2026-11-26T18:00:00Z"), ZoneId.of("UTC")))
            .put(new ReferenceKey.OfGate(EVENT, "north"), new Gate(EVENT, "north", null, true, 30))
            .put(new ReferenceKey.OfGate(EVENT, "vip"), new Gate(EVENT, "vip", null, true, 10))
            .put(new ReferenceKey.OfParticipant(EVENT, "p-1"), new Participant(EVENT, "p-1", "active"))
            .put(new ReferenceKey.OfParticipant(EVENT, "p-2"), new Participant(EVENT, "p-2", "active"));
    final InMemoryStores.Window window = new InMemoryStores.Window();
    final InMemoryStores.Log log = new InMemoryStores.Log();
    final InMemoryStores.Published published = new InMemoryStores.Published();
    final ApiFunction function = new ApiFunction(new AttendanceApi.Services(
            new Gatekeeper(reference, window, log, published, Clock.fixed(NOW, ZoneOffset.UTC)), new NoneSetAside(),
            null, null, null, null, 1024, FailureClassifier.CORE, Clock.fixed(NOW, ZoneOffset.UTC), null));

    static final Map<String, String> NORTH_STAFF = Map.of("sub", "phone-7", "roles", "[gate-staff]",
            "events", "[" + EVENT + "]", "gates", "[north]");
    static final Map<String, String> ORGANIZER = Map.of("sub", "org", "eventRoles", "[" + EVENT + ":organizer]");

    static Map<String, Object> scan(String participant, String gate, Instant at) {
        return Map.of("eventId", EVENT, "participantId", participant, "gateId", gate, "timestamp", at.toString(),
                "method", "manual");
    }

    Map<String, Object> post(String path, Map<String, String> claims, Object body, int expectedStatus) throws IOException {
        var event = ApiEvents.request("POST", path, Map.of("content-type", "application/json"), JSON.std.asString(body),
                claims, "r" + System.nanoTime(), NOW.toEpochMilli());
        var response = function.handleRequest(event, null);
        assertEquals(expectedStatus, response.getStatusCode(), response.getBody());
        return JSON.std.mapFrom(response.getBody());
    }

    @Test
    void staffOfOneGateCannotRecordAtAnotherAndNothingIsStoredOrClaimed() throws IOException {
        var answer = post("/api/v1/attendance/record", NORTH_STAFF, scan("p-1", "vip", NOW), 403);
        assertEquals("gate_not_granted", answer.get("code"));
        var batch = Map.of("scans", List.of(scan("p-1", "north", NOW), scan("p-2", "vip", NOW)));
        assertEquals("gate_not_granted", post("/api/v1/attendance/batch", NORTH_STAFF, batch, 403).get("code"));
        assertTrue(log.byScan.isEmpty() && log.malformed.isEmpty(), "nothing stored: " + log.byScan);
        assertTrue(window.claimed().isEmpty(), "no window claimed: " + window.claimed());

        // the genuine scan at vip is not taken for a duplicate of the refused one
        assertEquals("accepted", post("/api/v1/attendance/record", ORGANIZER, scan("p-1", "vip", NOW), 201).get("outcome"));
        assertEquals("accepted", post("/api/v1/attendance/record", NORTH_STAFF, scan("p-2", "north", NOW), 201).get("outcome"));
    }

    @Test
    void aStaffTokenWithoutGatesScansNowhereAndAWildcardScansEverywhere() throws IOException {
        Map<String, String> noGates = Map.of("sub", "s", "roles", "[gate-staff]", "events", "[" + EVENT + "]");
        assertEquals("gate_not_granted", post("/api/v1/attendance/record", noGates, scan("p-1", "north", NOW), 403).get("code"));
        Map<String, String> everyGate = Map.of("sub", "s", "eventRoles", "[" + EVENT + ":gate-staff]", "gates", "*");
        var batch = Map.of("scans", List.of(scan("p-1", "north", NOW), scan("p-2", "vip", NOW)));
        assertEquals(2, ((List<?>) post("/api/v1/attendance/batch", everyGate, batch, 200).get("successful")).size());
    }

    @Test
    void anHttpScanDatedBeyondTheEventsLimitIsRejectedAndStored() throws IOException {
        Instant dayAndAHalfAgo = NOW.minus(Duration.ofHours(36));
        var answer = post("/api/v1/attendance/record", ORGANIZER, scan("p-1", "vip", dayAndAHalfAgo), 400);
        assertEquals("scan_too_old", answer.get("code"));
        Outcome stored = log.byScan.values().iterator().next();
        assertEquals(Verdict.REJECTED, stored.verdict());
        assertEquals("scan_too_old", stored.reason().code());
        assertTrue(window.claimed().isEmpty(), "a rejected scan claims no window");
        // within the default day it is taken
        assertEquals("accepted", post("/api/v1/attendance/record", ORGANIZER,
                scan("p-1", "vip", NOW.minus(Duration.ofHours(23))), 201).get("outcome"));
    }

    @Test
    void aGatesBacklogOverMqttIsNotBoundByTheHttpLimit() {
        var gatekeeper = new Gatekeeper(reference, window, log, published, Clock.fixed(NOW, ZoneOffset.UTC));
        var old = new com.headcount.core.scan.Scan("s-old", EVENT, "p-2", "north", NOW.minus(Duration.ofHours(40)),
                "+00:00", com.headcount.core.scan.ScanMethod.QR_SCAN, com.headcount.core.scan.Direction.ENTRY, null, Map.of());
        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival("shard:1",
                new com.headcount.core.scan.ParsedScan.Valid(old), NOW)));
        assertEquals(Verdict.ACCEPTED, result.outcomes().get(0).verdict());
    }

    static final class NoneSetAside implements UnpublishedScans {
        @Override
        public void setAside(List<Outcome> accepted) {}

        @Override
        public List<Outcome> waiting(int limit) {
            return List.of();
        }

        @Override
        public void published(List<Outcome> outcomes) {}
    }
}
