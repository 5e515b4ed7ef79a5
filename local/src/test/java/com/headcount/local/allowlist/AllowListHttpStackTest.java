package com.headcount.local.allowlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.api.Routes;
import com.headcount.local.gateway.Jwt;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.LocalStack;
import com.headcount.local.stack.TestStacks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's staff phone on the local stack, over real HTTP: with the token of the check-in link bin/local prints it
 * asks the API for its gate's allow-list, fetches the URL from the dashboard site's origin as the check-in page does
 * (cross-origin, no credentials) and gets the gzip'd list whose text hashes to the answer's sha256; the bucket refuses
 * every other origin, a phone holding the current version gets no URL, and staff of another gate and viewers get
 * nothing.
 */
class AllowListHttpStackTest {

    private static final String DEMO = EventLoader.DEMO_EVENT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void aStaffPhoneGetsItsGatesListOverHttpAndFetchesItFromTheDashboardsOriginOnly() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalStack stack = LocalStack.start(TestStacks.onFreePorts(data), new PrintStream(printed, true,
                StandardCharsets.UTF_8))) {
            URI dashboard = stack.dashboard().url();
            String linkStart = dashboard + "checkin.html#event=" + DEMO + "&gate=north&token=";
            String link = Arrays.stream(printed.toString(StandardCharsets.UTF_8).split("\n")).map(String::trim)
                    .filter(l -> l.startsWith(linkStart)).findFirst()
                    // the output holds tokens: a failure names what it looked for, not what was printed
                    .orElseThrow(() -> new AssertionError("bin/local printed no line " + linkStart + "<token>"));
            String staff = link.substring(linkStart.length());
            Map<String, Object> claims = tokens().verifier().verify(staff);
            assertEquals(List.of(DEMO + ":gate-staff"), claims.get("eventRoles"));
            assertEquals(List.of("north"), claims.get("gates"));
            assertEquals(Duration.ofHours(12).toSeconds(), ((Number) claims.get("exp")).longValue()
                    - ((Number) claims.get("iat")).longValue());

            HttpResponse<String> asked = api(stack, "/gates/north/allowlist", staff);
            assertEquals(200, asked.statusCode(), asked.body());
            assertEquals("no-store", asked.headers().firstValue("Cache-Control").orElse(null));
            Map<String, Object> answer = JSON.std.mapFrom(asked.body());
            assertEquals(List.of("eventId", "gateId", "version", "sha256", "url", "urlExpiresAt"),
                    List.copyOf(answer.keySet()));
            assertEquals(DEMO, answer.get("eventId"));
            assertEquals("north", answer.get("gateId"));
            long version = ((Number) answer.get("version")).longValue();
            Instant expires = Instant.parse((String) answer.get("urlExpiresAt"));
            assertTrue(expires.isAfter(Instant.now()) && expires.isBefore(Instant.now().plus(Duration.ofMinutes(6))),
                    "minutes, not hours: " + expires);

            URI url = URI.create((String) answer.get("url"));
            for (String origin : List.of("http://localhost:" + dashboard.getPort(), "http://127.0.0.1:" + dashboard.getPort())) {
                HttpResponse<byte[]> list = fetch(url, origin);
                assertEquals(200, list.statusCode(), origin);
                assertEquals(origin, list.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
                assertTrue(list.headers().allValues("Vary").contains("Origin"), list.headers().map().toString());
                assertEquals("application/gzip", list.headers().firstValue("Content-Type").orElse(null));
                assertTrue(list.headers().firstValue("Content-Encoding").isEmpty(), "the page decompresses it itself");
                byte[] text = AllowListCodec.gunzip(list.body());
                assertEquals(answer.get("sha256"), java.util.HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(text)));
                assertEquals(version, AllowListCodec.parse(text).version());
                assertEquals(1000, AllowListCodec.parse(text).participantCount());
            }
            for (String origin : List.of("http://evil.example", "http://localhost:" + (dashboard.getPort() == 1 ? 2 : 1),
                    "https://localhost:" + dashboard.getPort(), "null")) {
                HttpResponse<byte[]> refused = fetch(url, origin);
                assertEquals(403, refused.statusCode(), origin);
                assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), origin);
            }

            HttpResponse<String> current = api(stack, "/gates/north/allowlist?haveVersion=" + version, staff);
            assertEquals(200, current.statusCode(), current.body());
            assertEquals(Map.of("eventId", DEMO, "gateId", "north", "version", (int) version, "sha256", answer.get("sha256")),
                    JSON.std.mapFrom(current.body()), "the phone holds it: nothing to fetch");

            assertEquals("403 gate_not_granted", refusal(api(stack, "/gates/vip/allowlist", staff)));
            String viewer = tokens().mint("viewer", List.of("viewer"), List.of(DEMO), Duration.ofMinutes(5));
            assertEquals("403 insufficient_scope", refusal(api(stack, "/gates/north/allowlist", viewer)),
                    "a viewer's app has no scans scope");
            assertEquals("403 forbidden", refusal(api(stack, "/gates/north/allowlist", consoleViewer())),
                    "a viewer signed in through an app with every scope is refused by role");

            String organiser = tokens().mint("organiser", List.of("organizer"), List.of("*"), Duration.ofMinutes(5));
            assertEquals("404 gate_not_found", refusal(api(stack, "/gates/nowhere/allowlist", organiser)));
            HttpResponse<String> ghost = HTTP.send(request(stack, "/api/v1/events/ghost/gates/north/allowlist", organiser),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("404 event_not_found", refusal(ghost));
        }
    }

    private LocalTokens tokens() {
        return LocalTokens.inDataFolder(data, Clock.systemUTC());
    }

    /** A viewer of the demo event whose token carries every scope, as the organisers' console app would give it. */
    private String consoleViewer() {
        Map<String, Object> claims = Jwt.claims("console-viewer", List.of(), List.of(), LocalTokens.ISSUER,
                LocalTokens.AUDIENCE, Clock.systemUTC(), Duration.ofMinutes(5));
        claims.remove("roles");
        claims.remove("events");
        claims.put("eventRoles", List.of(DEMO + ":viewer"));
        claims.put("scope", String.join(" ", Routes.Scopes.SETUP, Routes.Scopes.SCANS, Routes.Scopes.READ));
        return Jwt.mintHs256(java.util.Base64.getDecoder().decode(tokens().keyBase64()), claims);
    }

    private static HttpRequest request(LocalStack stack, String path, String token) {
        return HttpRequest.newBuilder(URI.create(stack.apiGateway().endpoint() + path))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpResponse<String> api(LocalStack stack, String pathInEvent, String token) throws Exception {
        return HTTP.send(request(stack, "/api/v1/events/" + DEMO + pathInEvent, token), HttpResponse.BodyHandlers.ofString());
    }

    /** As the check-in page's fetch sends it: the page's origin, no credentials. */
    private static HttpResponse<byte[]> fetch(URI url, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).header("Origin", origin).header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "cors").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The status and the problem's code. */
    private static String refusal(HttpResponse<String> r) throws Exception {
        Object code = r.body().startsWith("{") ? JSON.std.mapFrom(r.body()).get("code") : r.body();
        return r.statusCode() + " " + code;
    }
}
