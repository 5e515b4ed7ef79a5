package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.testing.ApiEvents;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.decision.FailureClassifier;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The statistics routes against a small fake view: each returns its section, unknown gates and events are 404. */
class ApiFunctionStatsTest {

    static final Map<String, Object> SNAPSHOT = Map.of("eventId", "e1", "overall", Map.of("checkedIn", 42),
            "gates", Map.of("north", Map.of("checkedIn", 40)), "hourly", List.of(Map.of("hour", "09:00", "arrivals", 42)),
            "predictive", Map.of("expectedAttendance", 900), "alerts", List.of(Map.of("type", "gate_overload")),
            "lastUpdated", "2026-11-26T09:00:00Z");

    final ApiFunction function = new ApiFunction(new AttendanceApi.Services(null, null, null, null, null,
            id -> id.equals("e1") ? Optional.of(SNAPSHOT) : Optional.empty(), 1024, FailureClassifier.CORE,
            Clock.systemUTC(), null));

    Map<String, Object> get(String path, int expectedStatus) throws Exception {
        return call("GET", path, Map.of("roles", "[viewer]", "events", "[e1 e2]"), expectedStatus);
    }

    Map<String, Object> call(String method, String path, Map<String, String> claims, int expectedStatus) throws Exception {
        var event = ApiEvents.request(method, path, Map.of("Content-Type", "application/json"), "{}", claims, "r1", 1);
        var response = function.handleRequest(event, null);
        assertEquals(expectedStatus, response.getStatusCode(), response.getBody());
        return JSON.std.mapFrom(response.getBody());
    }

    @Test
    void eachSectionHasItsRoute() throws Exception {
        assertEquals(Map.of("checkedIn", 42), get("/api/v1/events/e1/stats", 200).get("overall"));
        assertEquals(SNAPSHOT.get("gates"), get("/api/v1/events/e1/stats/gates", 200).get("gates"));
        assertEquals(Map.of("checkedIn", 40), get("/api/v1/events/e1/stats/gates/north", 200).get("gate"));
        assertEquals(SNAPSHOT.get("hourly"), get("/api/v1/events/e1/stats/hourly", 200).get("hourly"));
        assertEquals(SNAPSHOT.get("predictive"), get("/api/v1/events/e1/stats/predictive", 200).get("predictive"));
        assertEquals(SNAPSHOT.get("alerts"), get("/api/v1/events/e1/alerts", 200).get("alerts"));
        assertEquals("2026-11-26T09:00:00Z", get("/api/v1/events/e1/stats", 200).get("lastUpdated"));
    }

    @Test
    void aTokenWithRolesPerEventIsOrganizerOnlyWhereItSaysSo() throws Exception {
        // organizer of e1, viewer of e2, as API Gateway passes an array claim
        Map<String, String> claims = Map.of("sub", "u1", "eventRoles", "[e1:organizer e2:viewer]");
        assertEquals(Map.of("checkedIn", 42), call("GET", "/api/v1/events/e1/stats", claims, 200).get("overall"));
        assertEquals("no_statistics", call("GET", "/api/v1/events/e2/stats", claims, 404).get("code"),
                "a viewer of e2 may read e2");
        assertEquals("forbidden", call("PUT", "/api/v1/events/e2", claims, 403).get("code"),
                "organizer of e1 is not organizer of e2");
        assertEquals("forbidden", call("GET", "/api/v1/events/e3/stats", claims, 403).get("code"));
    }

    @Test
    void missingStatisticsAndGatesAreProblems() throws Exception {
        assertEquals("gate_not_found", get("/api/v1/events/e1/stats/gates/west", 404).get("code"));
        assertEquals("no_statistics", get("/api/v1/events/e2/stats", 404).get("code"));
        assertEquals("forbidden", get("/api/v1/events/e3/stats", 403).get("code"));
        assertTrue(get("/api/v1/events/e2/stats/hourly", 404).get("type").toString().endsWith("no_statistics"));
    }
}
