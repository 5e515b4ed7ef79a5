package com.headcount.local.api;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.OutcomeJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The real ApiFunction behind the local gateway, over real HTTP, on dynalite and kinesis-local. */
@ExtendWith(Emulators.Extension.class)
class ApiHttpTest {

    static final AtomicInteger EVENTS = new AtomicInteger();
    static ApiHarness h;
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void start(Emulators emulators) {
        h = new ApiHarness(emulators);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** A fresh event set up over HTTP by an organiser: two gates (one closed), 20 participants, one cancelled. */
    static String newEvent() {
        return newEvent(h);
    }

    static String newEvent(ApiHarness h) {
        String eventId = "api-" + EVENTS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String organizer = h.token("organizer", eventId);
        var event = h.json("PUT", "/api/v1/events/" + eventId, organizer, Map.of("name", "Demo day",
                "start", NOW.minus(Duration.ofHours(2)).toString(), "end", NOW.plus(Duration.ofHours(4)).toString(),
                "timeZone", "Europe/Berlin", "clockSkewToleranceSeconds", 120));
        assertEquals(200, event.status(), event.body());
        assertEquals(200, h.json("PUT", "/api/v1/events/" + eventId + "/gates/north", organizer,
                Map.of("active", true, "capacityPerMinute", 30)).status());
        assertEquals(200, h.json("PUT", "/api/v1/events/" + eventId + "/gates/closed", organizer,
                Map.of("active", false, "capacityPerMinute", 30)).status());
        List<Map<String, Object>> people = new ArrayList<>();
        for (int i = 0; i < 20; i++) people.add(Map.of("participantId", "p-" + i));
        people.add(Map.of("participantId", "p-cancelled", "status", "cancelled"));
        var imported = h.json("POST", "/api/v1/events/" + eventId + "/participants/imports", organizer, people);
        assertEquals(201, imported.status(), imported.body());
        return eventId;
    }

    static Map<String, Object> scan(String eventId, String participant, String gate, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", eventId);
        m.put("participantId", participant);
        m.put("gateId", gate);
        m.put("timestamp", at.toString());
        m.put("method", "qr_scan");
        return m;
    }

    static ApiHarness.Answer record(String eventId, Map<String, Object> body, String key) {
        return record(h, eventId, body, key);
    }

    static ApiHarness.Answer record(ApiHarness h, String eventId, Map<String, Object> body, String key) {
        String staff = h.token("gate-staff", eventId);
        return key == null ? h.json("POST", "/api/v1/attendance/record", staff, body)
                : h.json("POST", "/api/v1/attendance/record", staff, body, "Idempotency-Key", key);
    }

    static void assertProblem(ApiHarness.Answer a, int status, String code) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(code, a.json().get("code"), a.body());
        assertEquals(status, ((Number) a.json().get("status")).intValue());
    }

    @Test
    void everyDecisionHasItsStatusAndTheAcceptedScanIsPublished() {
        String e = newEvent();
        Instant t = NOW.minus(Duration.ofMinutes(10));
        String key = UUID.randomUUID().toString();

        var accepted = record(e, scan(e, "p-1", "north", t), key);
        assertEquals(201, accepted.status(), accepted.body());
        assertEquals("accepted", accepted.json().get("outcome"));
        assertEquals(key, accepted.json().get("scanId"));
        assertNull(accepted.header("Idempotent-Replayed"));

        var replay = record(e, scan(e, "p-1", "north", t), key);
        assertEquals(201, replay.status(), "a retry with the same key gets the first answer");
        assertEquals(accepted.json().get("scanId"), replay.json().get("scanId"));
        assertEquals(accepted.json().get("decidedAt"), replay.json().get("decidedAt"));
        assertEquals("true", replay.header("Idempotent-Replayed"));

        var duplicate = record(e, scan(e, "p-1", "north", t.plus(Duration.ofMinutes(3))), UUID.randomUUID().toString());
        assertProblem(duplicate, 409, "duplicate");
        assertEquals(key, duplicate.json().get("firstScanId"));
        assertEquals(t.toString(), duplicate.json().get("firstScannedAt"));

        assertProblem(record(e, scan(e, "p-nobody", "north", t), null), 404, "participant_not_found");
        assertProblem(record(e, scan(e, "p-2", "west", t), null), 404, "gate_not_found");
        assertProblem(record(e, scan(e, "p-2", "closed", t), null), 404, "gate_not_found");
        assertProblem(record(e, scan(e, "p-cancelled", "north", t), null), 400, "participant_inactive");
        assertProblem(record(e, scan(e, "p-3", "north", NOW.minus(Duration.ofHours(3).plusSeconds(1))), null),
                400, "outside_event_window");
        assertProblem(record(e, scan(e, "p-4", "north", NOW.plus(Duration.ofMinutes(10))), null), 400, "clock_skew");
        var badMethod = scan(e, "p-5", "north", t);
        badMethod.put("method", "telepathy");
        assertProblem(record(e, badMethod, null), 400, "malformed");
        var mismatch = scan(e, "p-5", "north", t);
        mismatch.put("scanId", "other");
        assertProblem(record(e, mismatch, "the-key"), 400, "idempotency_key_mismatch");

        List<String> published = new ArrayList<>();
        String stream = h.settings.shared().attendanceRecordedStream();
        for (var shard : h.kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String it = h.kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            h.kinesis.getRecords(b -> b.shardIterator(it)).records().forEach(r -> {
                var o = OutcomeJson.fromBytes(r.data().asByteArray());
                if (e.equals(o.eventId())) published.add(o.scanId());
            });
        }
        // the replay publishes the stored outcome again (the core's redelivery rule); statistics dedupe by scan id
        assertEquals(java.util.Set.of(key), java.util.Set.copyOf(published), "only the accepted scan is published");
    }

    @Test
    void aBatchAnswersEachScanAndOneGatesTroubleStaysItsOwn() {
        String e = newEvent();
        Instant t = NOW.minus(Duration.ofMinutes(20));
        List<Object> scans = new ArrayList<>();
        scans.add(scan(e, "p-1", "north", t));
        scans.add(scan(e, "p-1", "north", t.plusSeconds(60)));
        scans.add(scan(e, "p-2", "north", t));
        scans.add(scan(e, "p-3", "closed", t));
        scans.add(scan(e, "p-nobody", "north", t));
        var broken = scan(e, "p-4", "north", t);
        broken.put("timestamp", "yesterday");
        scans.add(broken);
        scans.add("not a scan");
        var answer = h.json("POST", "/api/v1/attendance/batch", h.token("gate-staff", e), Map.of("scans", scans));
        assertEquals(200, answer.status(), answer.body());
        var body = answer.json();
        assertEquals(7, ((Number) body.get("received")).intValue());
        assertEquals(List.of(0, 2), indexes(body.get("successful")));
        assertEquals(List.of(1), indexes(body.get("duplicates")));
        assertEquals(List.of(3, 4, 5, 6), indexes(body.get("failed")));
        List<?> failed = (List<?>) body.get("failed");
        assertEquals(List.of("gate_not_found", "participant_not_found", "malformed", "malformed"),
                failed.stream().map(f -> ((Map<?, ?>) f).get("code")).toList());
    }

    @SuppressWarnings("unchecked")
    static List<Integer> indexes(Object list) {
        return ((List<Map<String, Object>>) list).stream().map(m -> ((Number) m.get("index")).intValue()).sorted().toList();
    }

    @Test
    void tokensAreCheckedForPresenceExpiryRoleAndEvent() {
        String e = newEvent();
        String other = newEvent();
        var body = scan(e, "p-1", "north", NOW.minus(Duration.ofMinutes(5)));
        assertProblem(h.json("POST", "/api/v1/attendance/record", null, body), 401, "unauthorized");
        assertProblem(h.json("POST", "/api/v1/attendance/record", "not.a.token", body), 401, "unauthorized");
        String expired = h.tokens.mint("t", List.of("gate-staff"), List.of(e), Duration.ofMinutes(-5));
        assertProblem(h.json("POST", "/api/v1/attendance/record", expired, body), 401, "unauthorized");
        String forged = new com.headcount.local.gateway.LocalTokens(new byte[32], java.time.Clock.systemUTC())
                .mint("t", List.of("organizer"), List.of("*"), Duration.ofMinutes(5));
        assertProblem(h.json("POST", "/api/v1/attendance/record", forged, body), 401, "unauthorized");

        // a viewer's app has no scans scope, a staff phone's no setup scope: the gateway refuses them (issue 19)
        assertProblem(h.json("POST", "/api/v1/attendance/record", h.token("viewer", e), body), 403, "insufficient_scope");
        assertProblem(h.json("POST", "/api/v1/attendance/record", h.token("gate-staff", other), body), 403, "forbidden");
        assertProblem(h.json("PUT", "/api/v1/events/" + e + "/gates/east", h.token("gate-staff", e),
                Map.of("capacityPerMinute", 10)), 403, "insufficient_scope");
        assertProblem(h.get("/api/v1/events/" + e + "/attendance?gateId=north", h.token("viewer", other)), 403, "forbidden");
        assertProblem(h.get("/api/v1/events/" + e + "/stats", h.token("organizer", other)), 403, "forbidden");

        assertEquals(201, h.json("POST", "/api/v1/attendance/record", h.token("gate-staff", e), body).status());
        assertEquals(200, h.get("/api/v1/events/" + e + "/attendance?participantId=p-1", h.token("viewer", e)).status());
        assertEquals(200, h.get("/api/v1/events/" + e, h.token("viewer", "*")).status());
    }

    @Test
    void staffBoundToAGateRecordOnlyThereAndOldHttpScansAreRefused() {
        String e = newEvent();
        String north = h.staffToken(e, "north");
        var elsewhere = scan(e, "p-2", "closed", NOW.minus(Duration.ofMinutes(1)));
        assertProblem(h.json("POST", "/api/v1/attendance/record", north, elsewhere), 403, "gate_not_granted");
        assertProblem(h.json("POST", "/api/v1/attendance/batch", north, Map.of("scans",
                List.of(scan(e, "p-3", "north", NOW), elsewhere))), 403, "gate_not_granted");
        var log = h.get("/api/v1/events/" + e + "/attendance?participantId=p-3", h.token("viewer", e));
        assertEquals(List.of(), log.json().get("items"), "a refused batch stores nothing");
        assertProblem(h.json("POST", "/api/v1/attendance/record", h.staffToken(e), elsewhere), 403, "gate_not_granted");
        assertEquals(201, h.json("POST", "/api/v1/attendance/record", north,
                scan(e, "p-2", "north", NOW.minus(Duration.ofMinutes(1)))).status());

        String organizer = h.token("organizer", e);
        assertEquals(200, h.json("PUT", "/api/v1/events/" + e, organizer, Map.of("start",
                NOW.minus(Duration.ofHours(2)).toString(), "end", NOW.plus(Duration.ofHours(4)).toString(),
                "httpScanMaxAgeSeconds", 3600)).status());
        assertEquals(3600, ((Number) h.get("/api/v1/events/" + e, organizer).json().get("httpScanMaxAgeSeconds")).intValue());
        var old = h.json("POST", "/api/v1/attendance/record", north, scan(e, "p-4", "north", NOW.minus(Duration.ofMinutes(90))));
        assertProblem(old, 400, "scan_too_old");
        assertEquals("scan_too_old", ((Map<?, ?>) old.json().get("record")).get("reason"));
    }

    @Test
    void statisticsOfAnEventWithoutAnyAreNotFound() {
        String e = newEvent();
        for (String section : List.of("/stats", "/stats/gates", "/stats/gates/north", "/stats/hourly",
                "/stats/predictive", "/alerts")) {
            assertProblem(h.get("/api/v1/events/" + e + section, h.token("viewer", e)), 404, "no_statistics");
        }
    }

    @Test
    void theAttendanceLogFiltersPagesAndExports() {
        String e = newEvent();
        String staff = h.token("gate-staff", e);
        Instant t = NOW.minus(Duration.ofMinutes(100));
        for (int i = 0; i < 5; i++) {
            assertEquals(201, h.json("POST", "/api/v1/attendance/record", staff,
                    scan(e, "p-7", "north", t.plus(Duration.ofMinutes(10L * i)))).status());
        }
        assertEquals(409, h.json("POST", "/api/v1/attendance/record", staff, scan(e, "p-7", "north", t.plusSeconds(30))).status());
        String viewer = h.token("viewer", e);
        String base = "/api/v1/events/" + e + "/attendance?participantId=p-7&limit=2";
        List<Object> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = h.get(base + (cursor == null ? "" : "&cursor=" + cursor), viewer);
            assertEquals(200, page.status(), page.body());
            all.addAll((List<?>) page.json().get("items"));
            cursor = (String) page.json().get("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(6, all.size());
        assertTrue(pages >= 3);
        // a gate's log is its admissions: the duplicate is in p-7's log above, not in the gate's
        var gateLog = h.get("/api/v1/events/" + e + "/attendance?gateId=north", viewer);
        assertEquals(5, ((List<?>) gateLog.json().get("items")).size(), gateLog.body());
        assertFalse(gateLog.body().contains("\"duplicate\""), gateLog.body());
        assertProblem(h.get("/api/v1/events/" + e + "/attendance?gateId=north&outcome=duplicate", viewer), 400,
                "invalid_parameter");
        var accepted = h.get("/api/v1/events/" + e + "/attendance?gateId=north&outcome=accepted&from="
                + t.plus(Duration.ofMinutes(10)) + "&to=" + t.plus(Duration.ofMinutes(30)), viewer);
        assertEquals(2, ((List<?>) accepted.json().get("items")).size(), accepted.body());

        var csv = h.get("/api/v1/events/" + e + "/attendance.csv?participantId=p-7&outcome=duplicate", viewer);
        assertEquals(200, csv.status());
        assertTrue(csv.contentType().startsWith("text/csv"));
        String[] lines = csv.body().split("\r\n");
        assertEquals(2, lines.length, csv.body());
        assertTrue(lines[1].contains(",duplicate,"), lines[1]);

        assertProblem(h.get("/api/v1/events/" + e + "/attendance?participantId=p-7&cursor=abc", viewer), 400, "invalid_parameter");
        var first = h.get(base, viewer);
        String foreign = (String) first.json().get("nextCursor");
        assertNotNull(foreign);
        assertProblem(h.get("/api/v1/events/" + e + "/attendance?participantId=p-8&cursor=" + foreign, viewer),
                400, "invalid_parameter");
        assertProblem(h.get("/api/v1/events/" + e + "/attendance", viewer), 400, "filter_required");
    }

    @Test
    void hostileBodiesAreAnsweredWithProblemsNeverA500() {
        String e = newEvent();
        String staff = h.token("gate-staff", e);
        String organizer = h.token("organizer", e);
        String good = "{\"eventId\":\"" + e + "\",\"participantId\":\"p-1\",\"gateId\":\"north\",\"timestamp\":\""
                + NOW.minusSeconds(60) + "\",\"method\":\"qr_scan\"";
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("not JSON", "hello".getBytes(StandardCharsets.UTF_8));
        bodies.put("truncated", good.getBytes(StandardCharsets.UTF_8));
        bodies.put("array", "[1,2]".getBytes(StandardCharsets.UTF_8));
        bodies.put("null", "null".getBytes(StandardCharsets.UTF_8));
        bodies.put("unknown field", (good + ",\"admin\":true}").getBytes(StandardCharsets.UTF_8));
        bodies.put("duplicate member", (good + ",\"gateId\":\"closed\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("wrong types", ("{\"eventId\":42,\"participantId\":[],\"gateId\":{},\"timestamp\":true,\"method\":1}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("huge number", (good + ",\"deviceInfo\":{\"battery\":1" + "0".repeat(5000) + "}}").getBytes(StandardCharsets.UTF_8));
        bodies.put("huge exponent", (good + ",\"deviceInfo\":{\"battery\":1e999999999}}").getBytes(StandardCharsets.UTF_8));
        bodies.put("deep nesting", ("{\"deviceInfo\":" + "[".repeat(10000) + "]".repeat(10000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("lone surrogate", (good + ",\"location\":\"hall \\ud800 A\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        bodies.put("NUL in id", ("{\"eventId\":\"" + e + "\",\"participantId\":\"p\\u0000\",\"gateId\":\"north\","
                + "\"timestamp\":\"" + NOW + "\",\"method\":\"qr_scan\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("RTL and emoji id", (good.replace("p-1", "p-\u202e1\uD83D\uDE00") + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("over 16 KB", (good + ",\"location\":\"" + "x".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("over 10 MB", new byte[10 * 1024 * 1024 + 10]);

        for (var entry : bodies.entrySet()) {
            var answer = h.send("POST", "/api/v1/attendance/record", staff, "application/json", entry.getValue());
            assertTrue(answer.status() >= 400 && answer.status() < 500, entry.getKey() + " → " + answer.status() + " " + answer.body());
            assertTrue(answer.contentType().startsWith("application/problem+json"), entry.getKey());
            assertNotNull(answer.json().get("code"), entry.getKey());
        }
        var xml = h.send("POST", "/api/v1/attendance/record", staff, "application/xml", "<scan/>".getBytes(StandardCharsets.UTF_8));
        assertProblem(xml, 415, "unsupported_media_type");
        assertProblem(h.send("PUT", "/api/v1/events/" + e, organizer, "application/json",
                "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-02T00:00:00Z\",\"clockSkewToleranceSeconds\":1e400}"
                        .getBytes(StandardCharsets.UTF_8)), 400, "invalid_body");
        assertProblem(h.send("PUT", "/api/v1/events/" + e, organizer, "application/json",
                "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-02T00:00:00Z\",\"timeZone\":\"Mars/Olympus\"}"
                        .getBytes(StandardCharsets.UTF_8)), 400, "invalid_body");
        assertProblem(h.get("/api/v1/events/" + "%E2%80%AE/stats", organizer), 400, "invalid_parameter");
        assertProblem(h.get("/api/v1/nowhere", organizer), 404, "route_not_found");
        assertProblem(h.send("DELETE", "/api/v1/events/" + e, organizer, null, null), 405, "method_not_allowed");
        assertProblem(h.get("/api/v1/events/" + e + "/attendance?gateId=north&limit=99999999999", organizer), 400, "invalid_parameter");
    }
}
