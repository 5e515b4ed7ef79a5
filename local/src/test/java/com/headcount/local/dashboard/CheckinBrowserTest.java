package com.headcount.local.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.local.browser.BrowserDriver;
import com.headcount.local.browser.QrVideo;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.LocalStack;
import com.headcount.local.stack.TestStacks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staff check-in page (dashboard/src/checkin.html) in headless Chromium against the whole local stack, as a phone
 * at a door of the demo event: badges shown to a fake camera (a film of QR codes, dashboard/test/qr-video.py), ids
 * typed, the network lost and back, a credential for another gate. What the page answers is compared with what the
 * cloud stored (the attendance log) and counted (the statistics). Each test has its own gate and participants and its
 * own browser, so they share one stack without touching each other's figures. Screenshots go to local/target.
 */
class CheckinBrowserTest {

    static final Path DASHBOARD = Path.of(System.getProperty("headcount.dashboard.dir"));
    static final String EVENT = EventLoader.DEMO_EVENT;
    /** The demo event's zone: the page writes a duplicate's first time in the event's local time. */
    static final ZoneId EVENT_ZONE = ZoneId.of("Europe/Berlin");
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path data;
    static LocalStack stack;
    static LocalTokens tokens;
    static HttpClient http;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(TestStacks.onFreePorts(data), new PrintStream(new ByteArrayOutputStream()));
        tokens = LocalTokens.inDataFolder(data, Clock.systemUTC());
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopStack() {
        if (http != null) http.close();
        if (stack != null) stack.close();
    }

    @Test
    void badgesShownToTheCameraAreAnsweredAsTheCloudStoresThem() throws Exception {
        List<String> badges = List.of("P-00001", "P-00040", "P-99999", "P-00001");
        QrVideo film = QrVideo.render(DASHBOARD, data.resolve("badges.y4m"), QrVideo.Timing.standard(), badges);
        try (BrowserDriver phone = BrowserDriver.withCamera(DASHBOARD, film)) {
            phone.open(checkinLink("north", staff("north")));
            // the film loops: the fourth badge is the first shown again after 6 s out of sight, a new scan; the
            // loop's later showings are more scans, compared with the cloud like the rest
            phone.waitUntil(finalAnswers(4), WAIT);
            Map<String, Object> seen = phone.events();
            List<Map<String, Object>> answers = list(seen.get("answers"));
            List<String> scans = scansInOrder(answers);
            List<String> decoded = list(seen.get("decoded")).stream().map(d -> (String) d.get("participantId")).toList();
            assertEquals(badges, decoded.subList(0, 4), "every badge decoded, in the film's order");

            List<Map<String, Object>> first4 = scans.subList(0, 4).stream().map(id -> finalAnswer(answers, id)).toList();
            assertEquals(badges, first4.stream().map(a -> a.get("participantId")).toList());
            assertEquals(List.of("accepted", "rejected", "rejected", "duplicate"),
                    first4.stream().map(a -> a.get("verdict")).toList());
            List<Map<String, Object>> screens = list(seen.get("screens"));
            assertTrue(lastScreen(screens, scans.get(1)).get("detail").toString().matches("Registration is (not active|cancelled)"),
                    "inactive: " + lastScreen(screens, scans.get(1)));
            assertEquals("Not registered for this event", lastScreen(screens, scans.get(2)).get("detail"));

            // every answer the page made final is the outcome the cloud stored under the page's scan id
            for (String scanId : scans) {
                Map<String, Object> answer = finalAnswerOrNull(answers, scanId);
                if (answer == null) continue; // a later showing still on its way: nothing final to compare yet
                Map<String, Object> stored = stored((String) answer.get("participantId"), scanId);
                assertEquals(answer.get("verdict"), stored.get("outcome"), "scan " + scanId + ": " + stored);
                assertEquals("qr_scan", stored.get("method"));
                assertEquals("north", stored.get("gateId"));
            }
            Map<String, Object> firstIn = stored("P-00001", scans.get(0));
            assertEquals(instant(firstIn.get("timestamp")), instant(stored("P-00001", scans.get(3)).get("firstScannedAt")),
                    "the duplicate names the first scan");
            assertEquals("First scanned here at " + clock(firstIn.get("timestamp")),
                    lastScreen(screens, scans.get(3)).get("detail"));
            phone.waitForText("#count", "^1$", WAIT);
            phone.screenshot(Path.of("target", "checkin-camera.png"));
            assertEquals(List.of(), phone.dialogs());
        }
    }

    @Test
    void anIdTypedTwiceIsLetInOnceAndThenToldAlreadyIn() throws Exception {
        try (BrowserDriver phone = BrowserDriver.withCamera(DASHBOARD, null)) {
            phone.open(checkinLink("south", staff("south")));
            phone.waitForAttribute("#list-age", "data-version", "^\\d+$", WAIT);
            phone.waitForText("#gate", "^south$", WAIT);

            phone.fill("#participant", "P-00002");
            phone.click("#check");
            Map<String, Object> in = awaitFinal(phone, "P-00002", 1);
            phone.fill("#participant", "P-00002");
            phone.press("#participant", "Enter");
            Map<String, Object> again = awaitFinal(phone, "P-00002", 2);

            assertEquals("accepted", in.get("verdict"));
            assertEquals("duplicate", again.get("verdict"));
            phone.waitForAttribute("#answer", "data-scan-id", "^" + again.get("scanId") + "$", WAIT);
            assertEquals("duplicate", phone.attribute("#answer", "data-verdict"));
            assertEquals("true", phone.attribute("#answer", "data-final"));
            assertEquals("P-00002", phone.attribute("#answer", "data-participant"));

            Map<String, Object> first = stored("P-00002", (String) in.get("scanId"));
            Map<String, Object> second = stored("P-00002", (String) again.get("scanId"));
            assertEquals("accepted", first.get("outcome"));
            assertEquals("duplicate", second.get("outcome"));
            assertEquals("manual", first.get("method"));
            assertEquals("south", second.get("gateId"));
            assertEquals(instant(first.get("timestamp")), instant(second.get("firstScannedAt")));
            assertEquals("First scanned here at " + clock(first.get("timestamp")), phone.text("#answer-detail"));
            assertEquals(2, log("participantId=P-00002").size(), "one record for each scan, no more");
            phone.waitForText("#count", "^1$", WAIT);
            phone.screenshot(Path.of("target", "checkin-manual.png"));
        }
    }

    @Test
    void offlineThePhoneAnswersFromItsListQueuesAndSendsEachScanOnceWhenBack() throws Exception {
        List<String> ids = List.of("P-00003", "P-00004", "P-00080", "P-00005"); // every 40th is cancelled
        try (BrowserDriver phone = BrowserDriver.withCamera(DASHBOARD, null)) {
            phone.open(checkinLink("east", staff("east")));
            phone.waitForAttribute("#list-age", "data-version", "^\\d+$", WAIT);
            phone.waitForAttribute("#network", "data-online", "^true$", WAIT);

            phone.setOffline(true);
            for (int i = 0; i < ids.size(); i++) {
                phone.fill("#participant", ids.get(i));
                phone.press("#participant", "Enter");
                phone.waitForText("#queue", "^" + (i + 1) + "$", WAIT);
                awaitAnswer(phone, ids.get(i));
                assertEquals("false", phone.attribute("#answer", "data-final"), ids.get(i) + " is provisional");
            }
            phone.waitForAttribute("#network", "data-online", "^false$", WAIT);
            Map<String, Object> offline = phone.events();
            List<Map<String, Object>> provisional = list(offline.get("answers"));
            assertEquals(List.of("accepted", "accepted", "rejected", "accepted"),
                    ids.stream().map(id -> only(provisional, id).get("verdict")).toList());
            assertTrue(provisional.stream().noneMatch(a -> Boolean.TRUE.equals(a.get("final"))), provisional.toString());
            phone.waitForText("#count", "^3$", WAIT); // the phone counts the three it let in
            assertEquals(List.of(), log("gateId=east"), "nothing reached the cloud");
            phone.screenshot(Path.of("target", "checkin-offline.png"));

            phone.setOffline(false);
            phone.waitForText("#queue", "^0$", WAIT);
            phone.waitForAttribute("#answer", "data-final", "^true$", WAIT);
            phone.waitForAttribute("#network", "data-online", "^true$", WAIT);
            assertEquals(ids.getLast(), phone.attribute("#answer", "data-participant"));
            assertEquals("accepted", phone.attribute("#answer", "data-verdict"));
            assertEquals(0, ((Number) phone.evaluate("document.querySelectorAll('#corrections li').length")).intValue(),
                    "the cloud agreed with every answer the phone gave offline");

            for (String id : ids) {
                Map<String, Object> answer = only(provisional, id);
                List<Map<String, Object>> records = log("participantId=" + id);
                assertEquals(1, records.size(), id + " stored once: " + records);
                assertEquals(answer.get("scanId"), records.get(0).get("scanId"), "under the page's Idempotency-Key");
                assertEquals(answer.get("verdict"), records.get(0).get("outcome"));
                assertEquals("manual", records.get(0).get("method"));
            }
            TestStacks.await(() -> gateStats("east").map(g -> ((Number) g.get("totalProcessed")).intValue() >= 3)
                    .orElse(false), "the statistics count east's scans");
            Map<String, Object> east = gateStats("east").orElseThrow();
            assertEquals(3, ((Number) east.get("totalProcessed")).intValue(), "counted once each: " + east);
            assertEquals(Map.of("manual", 3), east.get("methods"));
            phone.waitForText("#count", "^3$", WAIT);
            phone.screenshot(Path.of("target", "checkin-back-online.png"));
        }
    }

    @Test
    void aCredentialForAnotherGateIsRefusedAndNothingIsStored() throws Exception {
        try (BrowserDriver phone = BrowserDriver.withCamera(DASHBOARD, null)) {
            phone.open(checkinLink("vip", staff("north")));
            phone.waitForAttribute("#answer", "data-verdict", "^refused$", WAIT);
            assertEquals("true", phone.attribute("#answer", "data-final"));
            assertEquals("This phone may not check in at this gate", phone.text("#answer-detail"));

            phone.fill("#participant", "P-00006");
            phone.press("#participant", "Enter");
            awaitAnswer(phone, "P-00006");
            assertEquals("refused", phone.attribute("#answer", "data-verdict"));
            assertEquals("0", phone.text("#queue"), "nothing waits to be sent");
            assertEquals(List.of(), log("participantId=P-00006"));
            assertEquals(List.of(), log("gateId=vip"));
            phone.screenshot(Path.of("target", "checkin-refused.png"));
        }
    }

    // ---- the page -------------------------------------------------------------------------------------------------

    private static String staff(String gate) {
        return tokens.mint("phone-" + gate, List.of("gate-staff"), List.of(EVENT), List.of(gate), Duration.ofHours(1));
    }

    private static String checkinLink(String gate, String token) {
        return stack.dashboard().url() + "checkin.html#event=" + EVENT + "&gate=" + gate + "&token=" + token;
    }

    /** A page expression: true once {@code n} scans have a final answer. */
    private static String finalAnswers(int n) {
        return "new Set(window.__headcount.answers.filter(a => a.final).map(a => a.scanId)).size >= " + n;
    }

    /** Waits for the participant's first answer (of any kind, with or without a scan); returns it. */
    private static Map<String, Object> awaitAnswer(BrowserDriver phone, String participant) throws IOException {
        phone.waitUntil("window.__headcount.answers.some(a => a.participantId === " + JSON.std.asString(participant) + ")", WAIT);
        return list(phone.events().get("answers")).stream().filter(a -> participant.equals(a.get("participantId")))
                .findFirst().orElseThrow();
    }

    /** Waits for the {@code nth} scan of the participant to have a final answer; returns that answer. */
    private static Map<String, Object> awaitFinal(BrowserDriver phone, String participant, int nth) throws IOException {
        phone.waitUntil("new Set(window.__headcount.answers.filter(a => a.final && a.participantId === "
                + JSON.std.asString(participant) + ").map(a => a.scanId)).size >= " + nth, WAIT);
        List<Map<String, Object>> answers = list(phone.events().get("answers"));
        List<String> scans = scansInOrder(answers.stream()
                .filter(a -> participant.equals(a.get("participantId")) && Boolean.TRUE.equals(a.get("final"))).toList());
        return finalAnswer(answers, scans.get(nth - 1));
    }

    /** Scan ids in the order of their first answer. */
    private static List<String> scansInOrder(List<Map<String, Object>> answers) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> a : answers) {
            String id = (String) a.get("scanId");
            if (id != null && !id.isEmpty() && !ids.contains(id)) ids.add(id);
        }
        return ids;
    }

    private static Map<String, Object> finalAnswer(List<Map<String, Object>> answers, String scanId) {
        Map<String, Object> a = finalAnswerOrNull(answers, scanId);
        assertNotNull(a, "no final answer for " + scanId + " in " + answers);
        return a;
    }

    private static Map<String, Object> finalAnswerOrNull(List<Map<String, Object>> answers, String scanId) {
        return answers.stream().filter(a -> scanId.equals(a.get("scanId")) && Boolean.TRUE.equals(a.get("final")))
                .reduce((x, y) -> y).orElse(null);
    }

    /** The participant's one answer (the test made exactly one scan of them). */
    private static Map<String, Object> only(List<Map<String, Object>> answers, String participant) {
        List<Map<String, Object>> theirs = answers.stream().filter(a -> participant.equals(a.get("participantId"))).toList();
        assertEquals(1, scansInOrder(theirs).size(), participant + ": " + theirs);
        return theirs.getLast();
    }

    /** What #answer last showed for the scan. */
    private static Map<String, Object> lastScreen(List<Map<String, Object>> screens, String scanId) {
        return screens.stream().filter(s -> scanId.equals(s.get("scanId"))).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("never shown: " + scanId + " in " + screens));
    }

    /** A stored time as the page writes it: the event's local time of day, hours to seconds. */
    private static String clock(Object isoInstant) {
        return DateTimeFormatter.ofPattern("HH:mm:ss").format(instant(isoInstant).atZone(EVENT_ZONE));
    }

    /** The API writes one instant as "…41.83Z" in one field and "…41.830Z" in another: compared as instants. */
    private static Instant instant(Object iso) {
        return Instant.parse((String) iso);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    // ---- the cloud ------------------------------------------------------------------------------------------------

    private static Map<String, Object> stored(String participant, String scanId) {
        return log("participantId=" + participant).stream().filter(r -> scanId.equals(r.get("scanId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no stored outcome for " + scanId));
    }

    /** The attendance log (GET .../attendance?query), as an organiser reads it. */
    private static List<Map<String, Object>> log(String query) {
        return list(get("/api/v1/events/" + EVENT + "/attendance?" + query).get("items"));
    }

    /** The gate's statistics, empty while the event has none counted yet. */
    @SuppressWarnings("unchecked")
    private static java.util.Optional<Map<String, Object>> gateStats(String gate) {
        Map<String, Object> body = get("/api/v1/events/" + EVENT + "/stats/gates/" + URLEncoder.encode(gate, StandardCharsets.UTF_8));
        return java.util.Optional.ofNullable((Map<String, Object>) body.get("gate"));
    }

    private static Map<String, Object> get(String path) {
        String organiser = tokens.mint("organiser", List.of("organizer"), List.of(EVENT), Duration.ofMinutes(5));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.apiGateway().endpoint() + path))
                    .header("Authorization", "Bearer " + organiser).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) return new LinkedHashMap<>();
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            return JSON.std.mapFrom(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
