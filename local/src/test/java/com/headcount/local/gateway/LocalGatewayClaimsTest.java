package com.headcount.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.handlers.ApiFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 point 4 on the local gateway: each route needs its scope, as API Gateway's authorizer checks it, and a
 * grant claim whose element holds a space (which API Gateway's "[a b]" form would cut in two) is refused.
 */
class LocalGatewayClaimsTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final LocalTokens tokens = new LocalTokens(KEY, Clock.systemUTC());
    final LocalApiGateway gateway = LocalApiGateway.start(0, new ApiFunction(new AttendanceApi.Services(null, null,
                    null, null, null, id -> Optional.of(Map.of("eventId", id, "overall", Map.of("checkedIn", 1),
                            "lastUpdated", "x")), 1024, FailureClassifier.CORE, Clock.systemUTC(), null)),
            tokens.verifier(), Clock.systemUTC());
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        gateway.close();
    }

    HttpResponse<String> call(String method, String path, Map<String, Object> claims) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>(Jwt.claims("u", List.of(), List.of(), LocalTokens.ISSUER,
                LocalTokens.AUDIENCE, Clock.systemUTC(), Duration.ofMinutes(5)));
        all.remove("roles");
        all.remove("events");
        all.putAll(claims);
        return http.send(HttpRequest.newBuilder(URI.create(gateway.endpoint() + path))
                .header("Authorization", "Bearer " + Jwt.mintHs256(KEY, all)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String code(HttpResponse<String> r) throws Exception {
        return String.valueOf(JSON.std.mapFrom(r.body()).get("code"));
    }

    @Test
    void eachRouteNeedsItsScope() throws Exception {
        Map<String, Object> organizerWithoutScope = Map.of("eventRoles", List.of("X:organizer"));
        var refused = call("GET", "/api/v1/events/X/stats", organizerWithoutScope);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("insufficient_scope", code(refused));

        Map<String, Object> readOnly = Map.of("eventRoles", List.of("X:organizer"), "scope", "openid headcount/read");
        assertEquals(200, call("GET", "/api/v1/events/X/stats", readOnly).statusCode());
        var setup = call("PUT", "/api/v1/events/X", readOnly);
        assertEquals(403, setup.statusCode());
        assertEquals("insufficient_scope", code(setup));
        var scan = call("POST", "/api/v1/attendance/record", readOnly);
        assertEquals("insufficient_scope", code(scan));
        assertEquals(200, call("GET", "/api/v1/events/X/stats",
                Map.of("eventRoles", List.of("X:viewer"), "scp", List.of("headcount/read"))).statusCode());
    }

    @Test
    void theLocalTokensCarryTheScopesOfTheirRole() throws Exception {
        var viewer = tokens.mint("v", List.of("viewer"), List.of("X"), Duration.ofMinutes(5));
        var organizer = tokens.mint("o", List.of("organizer"), List.of("*"), Duration.ofMinutes(5));
        assertEquals(200, get("/api/v1/events/X/stats", viewer).statusCode());
        assertEquals("insufficient_scope", code(send("PUT", "/api/v1/events/X", viewer)));
        // past the gateway: the function's own answer (no event catalog here), not the scope check
        assertTrue(!"insufficient_scope".equals(code(send("POST", "/api/v1/attendance/record", organizer))));
    }

    @Test
    void aKioskTokenGetsTicketsAndStatisticsAndNothingElse() throws Exception {
        var kiosk = tokens.kiosk("screen-1", "X", Duration.ofHours(1));
        assertEquals(200, get("/api/v1/events/X/stats", kiosk).statusCode());
        assertEquals(200, get("/api/v1/events/X/stats/gates", kiosk).statusCode());
        // past the scope check (no ticket store here): the function's own answer
        assertTrue(!"insufficient_scope".equals(code(send("POST", "/api/v1/events/X/dashboard-tickets", kiosk))));
        for (String[] r : new String[][] {{"GET", "/api/v1/events/X/attendance?gateId=north"}, {"GET", "/api/v1/events/X"},
                {"GET", "/api/v1/events/X/alerts"}, {"PUT", "/api/v1/events/X"}, {"POST", "/api/v1/attendance/record"}}) {
            var answer = send(r[0], r[1], kiosk);
            assertEquals(403, answer.statusCode(), r[1]);
            assertEquals("insufficient_scope", code(answer), r[1]);
        }
        // only its event: a viewer grant of X
        assertEquals(403, get("/api/v1/events/Y/stats", kiosk).statusCode());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> tokens.kiosk("screen-1", "X", Duration.ofDays(2)));
    }

    @Test
    void aGrantElementHoldingASpaceIsRefused() throws Exception {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(
                Map.of("eventRoles", List.of("Y:viewer X:organizer"), "scope", "headcount/read"),
                Map.of("eventRoles", List.of("Team X:organizer"), "scope", "headcount/read"),
                Map.of("roles", List.of("viewer"), "events", List.of("Team X"), "scope", "headcount/read"))) {
            var answer = call("GET", "/api/v1/events/X/stats", claims);
            assertEquals(403, answer.statusCode(), claims + " " + answer.body());
            assertEquals("invalid_claims", code(answer));
        }
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token);
    }

    HttpResponse<String> send(String method, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.endpoint() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
