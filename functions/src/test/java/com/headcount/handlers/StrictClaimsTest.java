package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.testing.ApiEvents;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.decision.FailureClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19 point 4: a Headcount claim that is not in its documented shape refuses the token (403 invalid_claims)
 * rather than granting what a loose reading finds in it.
 */
class StrictClaimsTest {

    final ApiFunction function = new ApiFunction(new AttendanceApi.Services(null, null, null, null, null,
            id -> Optional.of(Map.of("eventId", id, "overall", Map.of("checkedIn", 1), "lastUpdated", "x")), 1024,
            FailureClassifier.CORE, Clock.systemUTC(), null));

    Map<String, Object> stats(Map<String, String> claims, int expectedStatus) throws IOException {
        return stats(claims, Map.of(), expectedStatus);
    }

    Map<String, Object> stats(Map<String, String> claims, Map<String, String> headers, int expectedStatus)
            throws IOException {
        var event = ApiEvents.request("GET", "/api/v1/events/X/stats", headers, null, claims, "r1", 1);
        var response = function.handleRequest(event, null);
        assertEquals(expectedStatus, response.getStatusCode(), response.getBody());
        return JSON.std.mapFrom(response.getBody());
    }

    @ParameterizedTest(name = "eventRoles {0}")
    @ValueSource(strings = {
            "[Team X:organizer]",          // an identity-provider group with a space, as API Gateway passes it
            "[\"Team X:organizer\"]",
            "[*:organizer]",               // no wildcard in eventRoles
            "*:viewer",
            "[X:admin]",                   // unknown role
            "[X]",                         // no role
            "[:viewer]",
            "[X:viewer  Y:viewer]",        // two spaces: an element held one
            "[X:viewer ]",
            "X:viewer,Y:viewer",           // not a form API Gateway gives
            "[\"X:viewer\", \"Y:viewer\"]"})
    void aMalformedEventRolesElementRefusesTheToken(String eventRoles) throws IOException {
        assertEquals("invalid_claims", stats(Map.of("sub", "u", "eventRoles", eventRoles), 403).get("code"));
    }

    @Test
    void rolesAndEventsAreReadStrictlyToo() throws IOException {
        assertEquals("invalid_claims", stats(Map.of("roles", "[viewer,organizer]", "events", "[X]"), 403).get("code"));
        assertEquals("invalid_claims", stats(Map.of("roles", "[Team organizer]", "events", "[X]"), 403).get("code"));
        assertEquals("invalid_claims", stats(Map.of("roles", "[viewer]", "events", "X,Y"), 403).get("code"));
    }

    /** The bearer token as API Gateway forwards it; its signature was the authorizer's to check. */
    static Map<String, String> bearer(Map<String, Object> payload) throws IOException {
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return Map.of("Authorization", "Bearer " + b64.encodeToString("{\"alg\":\"RS256\"}".getBytes())
                + "." + b64.encodeToString(JSON.std.asBytes(payload)) + ".c2ln");
    }

    @Test
    void oneGroupThatLooksLikeTwoGrantsIsToldApartByTheTokenItself() throws IOException {
        // API Gateway gives both tokens the same string claim; only the token shows one element held a space
        Map<String, String> asPassed = Map.of("sub", "u", "eventRoles", "[Y:viewer X:organizer]");
        var oneGroup = bearer(Map.of("sub", "u", "eventRoles", List.of("Y:viewer X:organizer")));
        assertEquals("invalid_claims", stats(asPassed, oneGroup, 403).get("code"));
        var twoGrants = bearer(Map.of("sub", "u", "eventRoles", List.of("Y:viewer", "X:organizer")));
        assertEquals(Map.of("checkedIn", 1), stats(asPassed, twoGrants, 200).get("overall"));
        var notAString = bearer(Map.of("sub", "u", "roles", List.of(Map.of("r", "organizer")), "events", "X"));
        assertEquals("invalid_claims", stats(Map.of("roles", "[map[r:organizer]]", "events", "X"), notAString, 403)
                .get("code"));
    }

    @Test
    void wellFormedClaimsStillGrant() throws IOException {
        assertEquals(Map.of("checkedIn", 1), stats(Map.of("eventRoles", "[X:viewer ev:2026:organizer]"), 200).get("overall"));
        assertEquals(Map.of("checkedIn", 1), stats(Map.of("eventRoles", "[\"X:viewer\",\"Y:organizer\"]"), 200).get("overall"));
        assertEquals(Map.of("checkedIn", 1), stats(Map.of("eventRoles", "X:organizer"), 200).get("overall"));
        assertEquals(Map.of("checkedIn", 1), stats(Map.of("roles", "[viewer]", "events", "*"), 200).get("overall"));
        assertEquals("forbidden", stats(Map.of("eventRoles", "[Y:organizer]"), 403).get("code"));
    }

    @Test
    void theAccessRulesDoNotDependOnTheApi() throws IOException {
        Path access = Path.of("../core/src/main/java/com/headcount/core/access");
        try (Stream<Path> files = Files.list(access)) {
            List<Path> upward = files.filter(f -> read(f).contains("import com.headcount.core.api.")).toList();
            assertEquals(List.of(), upward, "core.access is below core.api");
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
