package com.headcount.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowListAnswers;
import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.testing.InMemoryStores;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The staff phone's way to its gate's allow-list: authorised as recording at that gate is, the gate's answer in the
 * API's form, never cached, and the event and gate told apart when missing.
 */
class AllowListRouteTest {

    static final String EVENT = "fair";
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final AllowLists.Published V7 = new AllowLists.Published(7, "ab".repeat(32), NOW.minusSeconds(60));

    final InMemoryStores.Reference reference = new InMemoryStores.Reference()
            .put(new ReferenceKey.OfEvent(EVENT), AttendanceEvent.withDefaults(EVENT, NOW, NOW.plusSeconds(3600), ZoneOffset.UTC));
    /** What the route asked: event, gate, version held. */
    final List<List<Object>> asked = new ArrayList<>();
    /** The event's gates north and vip; anything else is not one of the event's. */
    final AllowListAnswers answers = (eventId, gateId, have) -> {
        asked.add(java.util.Arrays.asList(eventId, gateId, have));
        if (!eventId.equals(EVENT) || !List.of("north", "vip").contains(gateId)) return Optional.empty();
        boolean current = have != null && have == V7.version();
        return Optional.of(new AllowLists.Answer(eventId, gateId, V7,
                current ? null : URI.create("https://lists.example/fair/7.gz?sig=x"),
                current ? null : NOW.plus(Duration.ofMinutes(5))));
    };

    static final Map<String, String> NORTH_STAFF = Map.of("sub", "phone-7", "eventRoles", "[" + EVENT + ":gate-staff]",
            "gates", "[north]", "scope", "headcount/scans headcount/read");
    static final Map<String, String> ORGANIZER = Map.of("sub", "org", "eventRoles", "[" + EVENT + ":organizer]");
    static final Map<String, String> VIEWER = Map.of("sub", "v", "eventRoles", "[" + EVENT + ":viewer]");

    AttendanceApi api(AllowListAnswers answers) {
        return new AttendanceApi(new AttendanceApi.Services(null, null, new Catalog(reference), null, null, null, 1024,
                FailureClassifier.CORE, Clock.fixed(NOW, ZoneOffset.UTC), null, null, answers));
    }

    ApiResponse get(AttendanceApi api, String path, Map<String, String> query, Map<String, String> claims) {
        return api.handle(new ApiRequest("GET", path, Map.of(), query, null, false, "r-1", NOW, claims, null), line -> { });
    }

    ApiResponse get(String gate, Map<String, String> query, Map<String, String> claims) {
        return get(api(answers), "/api/v1/events/" + EVENT + "/gates/" + gate + "/allowlist", query, claims);
    }

    static Map<String, Object> json(ApiResponse r) {
        try {
            return JSON.std.mapFrom(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void staffOfTheGateGetTheGatesAnswerWithItsUrlAndItsExpiryNeverCached() {
        ApiResponse r = get("north", Map.of(), NORTH_STAFF);
        assertEquals(200, r.status(), r.body());
        assertEquals("no-store", r.headers().get("Cache-Control"));
        assertEquals("application/json", r.headers().get("Content-Type"));
        assertEquals(List.of("eventId", "gateId", "version", "sha256", "url", "urlExpiresAt"), List.copyOf(json(r).keySet()));
        assertEquals(Map.of("eventId", EVENT, "gateId", "north", "version", 7, "sha256", V7.sha256(),
                "url", "https://lists.example/fair/7.gz?sig=x", "urlExpiresAt", "2026-11-26T12:05:00Z"), json(r));
    }

    @Test
    void aPhoneHoldingTheCurrentVersionIsToldSoWithoutAUrl() {
        ApiResponse r = get("north", Map.of("haveVersion", "7"), NORTH_STAFF);
        assertEquals(200, r.status(), r.body());
        assertEquals(Map.of("eventId", EVENT, "gateId", "north", "version", 7, "sha256", V7.sha256()), json(r));
        assertEquals(List.of(List.of(EVENT, "north", 7L)), asked);
    }

    @Test
    void staffOfAnotherGateAViewerAndAStrangerAreRefusedBeforeAnythingIsAsked() {
        ApiResponse vip = get("vip", Map.of(), NORTH_STAFF);
        assertEquals(403, vip.status());
        assertEquals("gate_not_granted", json(vip).get("code"));
        ApiResponse viewer = get("north", Map.of(), VIEWER);
        assertEquals(403, viewer.status());
        assertEquals("forbidden", json(viewer).get("code"));
        ApiResponse otherEvent = get(api(answers), "/api/v1/events/other/gates/north/allowlist", Map.of(), NORTH_STAFF);
        assertEquals("forbidden", json(otherEvent).get("code"));
        assertTrue(asked.isEmpty(), "no list built or read for a refused caller: " + asked);
        assertEquals("application/problem+json", vip.headers().get("Content-Type"));
    }

    @Test
    void anOrganiserAsksAtAnyGateAndLearnsWhetherTheEventOrTheGateIsMissing() {
        assertEquals(200, get("vip", Map.of(), ORGANIZER).status());
        ApiResponse noGate = get("west", Map.of(), ORGANIZER);
        assertEquals(404, noGate.status());
        assertEquals("gate_not_found", json(noGate).get("code"));
        Map<String, String> everywhere = Map.of("sub", "org", "roles", "[organizer]", "events", "[*]");
        ApiResponse noEvent = get(api(answers), "/api/v1/events/ghost/gates/north/allowlist", Map.of(), everywhere);
        assertEquals(404, noEvent.status());
        assertEquals("event_not_found", json(noEvent).get("code"));
    }

    @Test
    void aVersionThatIsNotANumberIsRefusedAndAStageWithoutListsSaysSo() {
        for (String bad : List.of("", "-1", "7.0", "x", "1".repeat(19))) {
            ApiResponse r = get("north", Map.of("haveVersion", bad), NORTH_STAFF);
            assertEquals(400, r.status(), bad);
            assertEquals("invalid_parameter", json(r).get("code"));
        }
        ApiResponse none = get(api(null), "/api/v1/events/" + EVENT + "/gates/north/allowlist", Map.of(), NORTH_STAFF);
        assertEquals(503, none.status());
        assertEquals("allowlist_unavailable", json(none).get("code"));
        assertFalse(none.headers().containsKey("Cache-Control"));
    }

    /** Reads only: the route looks the event up on its way to a 404. */
    record Catalog(InMemoryStores.Reference reference) implements EventCatalog {
        @Override
        public com.headcount.core.reference.ReferenceSet lookup(java.util.Collection<? extends ReferenceKey> keys) {
            return reference.lookup(keys);
        }

        @Override
        public void save(AttendanceEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Gate gate) {
            throw new UnsupportedOperationException();
        }
    }
}
