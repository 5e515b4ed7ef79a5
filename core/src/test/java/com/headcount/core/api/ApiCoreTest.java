package com.headcount.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.access.AccessDenied;
import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiCoreTest {

    @Test
    void callersClaimsAsApiGatewayPassesThem() {
        var caller = Caller.fromAuthorizerClaims(Map.of("sub", "s", "roles", "[gate-staff]", "events", "[e1 e2]"));
        caller.require(Role.VIEWER, "e2");
        caller.require(Role.GATE_STAFF, "e1");
        assertEquals(403, assertThrows(AccessDenied.class, () -> caller.require(Role.ORGANIZER, "e1")).status());
        assertEquals(403, assertThrows(AccessDenied.class, () -> caller.require(Role.VIEWER, "e3")).status());
        var all = Caller.fromAuthorizerClaims(Map.of("roles", "[\"viewer\"]", "events", "*"));
        all.require(Role.VIEWER, "anything");
        assertEquals(401, assertThrows(AccessDenied.class, () -> Caller.fromAuthorizerClaims(Map.of())).status());
    }

    @Test
    void rolesPerEventGiveEachEventItsOwnRoleAndMixWithTheOlderShape() {
        var caller = Caller.fromAuthorizerClaims(Map.of("sub", "s", "eventRoles", "[\"A:organizer\",\"B:viewer\",\"ev:2026:gate-staff\"]",
                "roles", "[viewer]", "events", "[C]"));
        caller.require(Role.ORGANIZER, "A");
        caller.require(Role.VIEWER, "B");
        caller.require(Role.GATE_STAFF, "ev:2026");
        caller.require(Role.VIEWER, "C");
        assertEquals(403, assertThrows(AccessDenied.class, () -> caller.require(Role.ORGANIZER, "B")).status());
        assertEquals(403, assertThrows(AccessDenied.class, () -> caller.require(Role.GATE_STAFF, "C")).status());
        assertEquals(403, assertThrows(AccessDenied.class, () -> caller.require(Role.VIEWER, "D")).status());
        assertTrue(caller.hasAnywhere(Role.ORGANIZER));
    }

    @Test
    void theAgeLimitOfHttpScansIsAnEventSettingWithADayByDefault() {
        var body = new java.util.HashMap<String, Object>(Map.of("start", "2026-11-24T09:00:00Z", "end", "2026-11-26T18:00:00Z"));
        var byDefault = EventSetup.event("fair", body);
        assertEquals(java.time.Duration.ofHours(24), byDefault.httpScanMaxAge());
        assertEquals(86400L, EventSetup.toMap(byDefault).get("httpScanMaxAgeSeconds"));
        body.put("httpScanMaxAgeSeconds", 3600);
        assertEquals(java.time.Duration.ofHours(1), EventSetup.event("fair", body).httpScanMaxAge());
        body.put("httpScanMaxAgeSeconds", 10);
        assertEquals("invalid_body", assertThrows(Problem.Failure.class, () -> EventSetup.event("fair", body)).problem().code());
    }

    @Test
    void csvFollowsRfc4180AndRefusesWhatItCannotRead() {
        var rows = Csv.readAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\n\n", 100);
        assertEquals(List.of("a", "b,c", "say \"hi\""), rows.get(0).fields());
        assertEquals(List.of("multi\nline", "x"), rows.get(1).fields());
        assertEquals(2, rows.size());
        assertEquals(2, rows.get(1).line());
        assertThrows(Csv.Malformed.class, () -> Csv.readAll("a,\"open\n", 100));
        assertThrows(Csv.Malformed.class, () -> Csv.readAll("a,b\"c\n", 100));
        assertThrows(Csv.Malformed.class, () -> Csv.readAll("\"a\"b\n", 100));
        assertEquals("\"a,b\",'=SUM(A1)\r\n", Csv.line(List.of("a,b", "=SUM(A1)")));
    }

    @Test
    void routesMatchLiteralSegmentsAndSay405Or404() {
        assertEquals(Routes.Route.STATS_GATES, Routes.match("GET", "/api/v1/events/e1/stats/gates").route());
        assertEquals("g1", Routes.match("GET", "/api/v1/events/e1/stats/gates/g1").parameters().get("gateId"));
        assertEquals(405, assertThrows(Problem.Failure.class, () -> Routes.match("DELETE", "/api/v1/events/e1")).problem().status());
        assertEquals(404, assertThrows(Problem.Failure.class, () -> Routes.match("GET", "/api/v2/x")).problem().status());
    }

    @Test
    void importReportsBadRowsAndStoresInChunks() {
        List<Integer> chunks = new java.util.ArrayList<>();
        var report = new ParticipantImport("e1", c -> chunks.add(c.size()))
                .fromCsv("status,participantId\nactive,p1\n,p2\nvip,p3\nactive,p1\nactive,\n");
        assertEquals(5, report.received());
        assertEquals(2, report.imported());
        assertEquals(3, report.rejectedCount());
        assertEquals(List.of(2), chunks);
        assertEquals(4, report.rejected().get(0).row());
        var json = new ParticipantImport("e1", c -> { }).fromJson("[{\"participantId\":\"a\"},{\"participantId\":\"b\",\"x\":1},7]"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(1, json.imported());
        assertEquals(2, json.rejectedCount());
    }

    @Test
    void strictJsonRefusesWhatStoresCannotHold() {
        for (String body : List.of("{\"a\":1,\"a\":2}", "{\"a\":1e400}", "{\"a\":\"\\udc00\"}", "{\"a\":" + "1".repeat(60) + "}", "[", "")) {
            var f = assertThrows(Problem.Failure.class, () -> StrictJson.object(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals("invalid_body", f.problem().code());
        }
        assertTrue(StrictJson.object("{\"a\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8)).containsKey("a"));
    }
}
