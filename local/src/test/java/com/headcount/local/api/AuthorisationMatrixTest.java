package com.headcount.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.access.Role;
import com.headcount.core.api.Routes;
import com.headcount.core.api.Routes.Route;
import com.headcount.core.dashboard.TicketIssuer;
import com.headcount.core.access.Caller;
import com.headcount.handlers.DashboardSettings;
import com.headcount.handlers.DashboardWiring;
import com.headcount.local.gateway.Jwt;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.LocalStack;
import com.headcount.local.stack.TestStacks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: who may call what, generated from the route table. Every route of {@link Routes} is called over HTTP on
 * one local stack by every kind of caller (organiser, gate staff bound to a gate, viewer, kiosk credential, no
 * token; and a viewer and a gate staff member signed in through the organisers' console, whose app holds every scope,
 * so the role check is what stands between them and the route) in their own event and in another, and, for routes
 * that act at a gate, at their own gate and at another. The expected answer is worked out from what the route table
 * declares (the route's scopes, its least role, whether it acts at a gate) and the success status openapi.yaml
 * documents; a handler that checked another role than its route declares, or none, makes this test fail. Then
 * {@code $connect} on the WebSocket API with each kind of ticket.
 */
class AuthorisationMatrixTest {

    static final String OWN = "matrix-own";
    static final String OTHER = "matrix-other";
    static final String OWN_GATE = "north";
    static final String OTHER_GATE = "south";

    @TempDir
    static Path data;
    static LocalStack stack;
    static LocalTokens tokens;
    static byte[] key;
    static String admin;
    static final Map<String, String> IMPORTS = new LinkedHashMap<>();
    static final AtomicInteger PARTICIPANTS = new AtomicInteger();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant NOW = Instant.now();

    /**
     * A caller: its token (null: none), the role it holds in {@link #OWN} (none elsewhere) and the gates it names.
     * Its scopes are read back from the token itself.
     */
    record Principal(String name, String token, Role role, Set<String> gates) {
        Set<String> scopes() {
            if (token == null) return Set.of();
            try {
                return Jwt.scopes(tokens.verifier().verify(token));
            } catch (Jwt.Invalid e) {
                throw new AssertionError(name + ": " + e.getMessage());
            }
        }

        Role roleIn(String eventId) {
            return eventId.equals(OWN) ? role : null;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(TestStacks.onFreePorts(data), new PrintStream(new ByteArrayOutputStream()));
        tokens = LocalTokens.inDataFolder(data, Clock.systemUTC());
        key = java.util.Base64.getDecoder().decode(tokens.keyBase64());
        admin = tokens.mint("matrix-admin", List.of("organizer"), List.of("*"), Duration.ofHours(1));
        for (String event : List.of(OWN, OTHER)) {
            assertStatus(200, call("PUT", "/api/v1/events/" + event, admin, eventBody()));
            for (String gate : List.of(OWN_GATE, OTHER_GATE)) {
                assertStatus(200, call("PUT", "/api/v1/events/" + event + "/gates/" + gate, admin,
                        Map.of("active", true, "capacityPerMinute", 30)));
            }
            List<Map<String, Object>> people = new ArrayList<>();
            for (int i = 0; i < 300; i++) people.add(Map.of("participantId", "p-" + i));
            var imported = call("POST", "/api/v1/events/" + event + "/participants/imports", admin, people);
            assertStatus(201, imported);
            IMPORTS.put(event, (String) JSON.std.mapFrom(imported.body()).get("importId"));
            // one counted scan, so the statistics routes have figures to answer with
            assertStatus(201, call("POST", "/api/v1/attendance/record", admin, scan(event, OWN_GATE)));
        }
        for (String event : List.of(OWN, OTHER)) {
            TestStacks.await(() -> statusOf("GET", "/api/v1/events/" + event + "/stats/gates/" + OWN_GATE) == 200,
                    event + ": statistics of its counted scan");
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    static List<Principal> principals() {
        Duration ttl = Duration.ofHours(1);
        return List.of(
                new Principal("organiser", tokens.mint("m-organiser", List.of("organizer"), List.of(OWN), ttl),
                        Role.ORGANIZER, Set.of()),
                new Principal("staff@north", tokens.mint("m-staff", List.of("gate-staff"), List.of(OWN),
                        List.of(OWN_GATE), ttl), Role.GATE_STAFF, Set.of(OWN_GATE)),
                new Principal("viewer", tokens.mint("m-viewer", List.of("viewer"), List.of(OWN), ttl), Role.VIEWER,
                        Set.of()),
                new Principal("kiosk", tokens.kiosk("m-kiosk", OWN, ttl), Role.VIEWER, Set.of()),
                new Principal("viewer via the console", allScopes("m-console-viewer", OWN + ":viewer", List.of()),
                        Role.VIEWER, Set.of()),
                new Principal("staff@north via the console", allScopes("m-console-staff", OWN + ":gate-staff",
                        List.of(OWN_GATE)), Role.GATE_STAFF, Set.of(OWN_GATE)),
                new Principal("no token", null, null, Set.of()));
    }

    /** A token as the organisers' console app gets it: every scope, whatever the person's role. */
    static String allScopes(String subject, String eventRole, List<String> gates) {
        Map<String, Object> claims = Jwt.claims(subject, List.of(), List.of(), LocalTokens.ISSUER, LocalTokens.AUDIENCE,
                Clock.systemUTC(), Duration.ofHours(1));
        claims.remove("roles");
        claims.remove("events");
        claims.put("eventRoles", List.of(eventRole));
        if (!gates.isEmpty()) claims.put("gates", gates);
        claims.put("scope", String.join(" ", Routes.Scopes.SETUP, Routes.Scopes.SCANS, Routes.Scopes.READ));
        return Jwt.mintHs256(key, claims);
    }

    /** What the route table says this caller gets: status, and the problem's code when refused. */
    static String expected(Route route, Principal p, String eventId, String gateId, Map<String, String> success) {
        if (p.token() == null) return "401";
        if (route.scopes.stream().noneMatch(p.scopes()::contains)) return "403 insufficient_scope";
        Role role = p.roleIn(eventId);
        if (role == null || !role.includes(route.role)) return "403 forbidden";
        if (route.atGate && role != Role.ORGANIZER && !p.gates().contains(gateId)) return "403 gate_not_granted";
        return success.get(route.method + " " + route.template);
    }

    @Test
    void everyRouteAnswersEachCallerAsTheRouteTableSays() throws Exception {
        Map<String, String> success = new TreeMap<>();
        for (var op : OpenApiContractTest.operations()) {
            List<String> ok = op.statuses().stream().filter(s -> s.startsWith("2")).toList();
            assertEquals(1, ok.size(), op + ": one success status");
            success.put(op.method() + " " + op.path(), ok.get(0));
        }
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        Set<Route> refusedByRoleAlone = new java.util.HashSet<>();
        for (Route route : Route.values()) {
            for (Principal p : principals()) {
                for (String eventId : List.of(OWN, OTHER)) {
                    for (String gateId : route.atGate ? List.of(OWN_GATE, OTHER_GATE) : List.of(OWN_GATE)) {
                        String cell = route + " | " + p.name() + " | " + (eventId.equals(OWN) ? "own event" : "other event")
                                + (route.atGate ? " | " + (gateId.equals(OWN_GATE) ? "own gate" : "other gate") : "");
                        String want = expected(route, p, eventId, gateId, success);
                        expected.put(cell, want);
                        actual.put(cell, answer(request(route, p.token(), eventId, gateId)));
                        if (want.equals("403 forbidden")) refusedByRoleAlone.add(route);
                    }
                }
            }
        }
        assertEquals(Set.of(Route.values()), refusedByRoleAlone,
                "every route has a caller whose scopes fit but whose role does not, so a handler ignoring the role fails");
        assertTrue(expected.containsValue("403 gate_not_granted"), "a gate-bound token is tried at another gate");
        List<String> wrong = new ArrayList<>();
        expected.forEach((cell, want) -> {
            if (!want.equals(actual.get(cell))) wrong.add(cell + ": the route table says " + want + ", got " + actual.get(cell));
        });
        assertEquals(List.of(), wrong, wrong.size() + " of " + expected.size() + " cells");
    }

    @Test
    void connectTakesOnlyAFreshUnusedTicketOfItsOwnEvent() throws Exception {
        String viewer = tokens.mint("m-ws-viewer", List.of("viewer"), List.of(OWN, OTHER), Duration.ofHours(1));
        String valid = ticket(viewer, OWN);
        assertEquals("101", connect(OWN, valid), "a fresh ticket of the event");
        assertEquals("401 ticket_unknown", connect(OWN, valid), "the same ticket again");
        assertEquals("101", connect(OWN, ticket(tokens.kiosk("m-ws-kiosk", OWN, Duration.ofHours(1)), OWN)),
                "a kiosk credential's ticket");
        assertEquals("403 wrong_event", connect(OWN, ticket(viewer, OTHER)), "another event's ticket");
        // issued into the stack's own ticket table a lifetime and a second ago
        TicketIssuer past = DashboardWiring.tickets(stack.dynamo(), DashboardSettings.from(Map.of()).ticketsTable(),
                Clock.offset(Clock.systemUTC(), TicketIssuer.LIFETIME.plusSeconds(1).negated()));
        String expired = past.issue(OWN, Caller.fromAuthorizerClaims(Map.of("sub", "m-ws-old", "roles", "[viewer]",
                "events", "[" + OWN + "]"))).ticket();
        assertEquals("401 ticket_expired", connect(OWN, expired), "an expired ticket");
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        assertEquals("401 ticket_unknown", connect(OWN,
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random)), "a forged ticket");
        assertEquals("401 ticket_missing", connect(OWN, null), "no ticket");
    }

    static String ticket(String token, String eventId) throws Exception {
        var answer = call("POST", "/api/v1/events/" + eventId + "/dashboard-tickets", token, null);
        assertStatus(201, answer);
        return (String) JSON.std.mapFrom(answer.body()).get("ticket");
    }

    /** "101" when the connection opened (it is closed again), else the refusal's status and code. */
    static String connect(String eventId, String ticket) throws Exception {
        URI uri = URI.create(stack.webSocketUrl() + "?eventId=" + eventId + (ticket == null ? "" : "&ticket=" + ticket));
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, new WebSocket.Listener() {}).join();
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            return "101";
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                String body = String.valueOf(h.getResponse().body());
                Object code = body.startsWith("{") ? JSON.std.mapFrom(body).get("code") : body;
                return h.getResponse().statusCode() + " " + code;
            }
            throw e;
        }
    }

    /** A request the route would serve: path parameters and body for the event and gate. */
    static HttpRequest request(Route route, String token, String eventId, String gateId) throws Exception {
        String path = route.template.replace("{eventId}", eventId).replace("{gateId}", gateId)
                .replace("{importId}", IMPORTS.get(eventId)).replace("{participantId}", "p-1");
        Object body = switch (route) {
            case RECORD -> scan(eventId, gateId);
            case BATCH -> Map.of("scans", List.of(scan(eventId, gateId)));
            case PUT_EVENT -> eventBody();
            case PUT_GATE -> Map.of("active", true, "capacityPerMinute", 30);
            case IMPORT_PARTICIPANTS -> List.of(Map.of("participantId", "late-" + UUID.randomUUID().toString().substring(0, 8)));
            case PUT_PARTICIPANT_STATUS -> Map.of("status", "active");
            default -> null;
        };
        if (route == Route.ATTENDANCE || route == Route.ATTENDANCE_CSV) path += "?gateId=" + gateId;
        return build(route.method, path, token, body);
    }

    static Map<String, Object> scan(String eventId, String gateId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", eventId);
        // a participant of its own per scan: an allowed scan is then accepted, never a duplicate
        m.put("participantId", "p-" + PARTICIPANTS.getAndIncrement());
        m.put("gateId", gateId);
        m.put("timestamp", NOW.toString());
        m.put("method", "qr_scan");
        return m;
    }

    static Map<String, Object> eventBody() {
        return Map.of("start", NOW.minus(Duration.ofHours(1)).toString(), "end", NOW.plus(Duration.ofHours(4)).toString(),
                "timeZone", "Europe/Berlin");
    }

    static HttpRequest build(String method, String path, String token, Object body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(stack.apiGateway().endpoint() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.std.asString(body)));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (method.equals("POST")) b.header("Idempotency-Key", UUID.randomUUID().toString());
        return b.build();
    }

    /** The organiser's answer's status, for a wait's condition (which cannot throw). */
    private static int statusOf(String method, String path) {
        try {
            return call(method, path, admin, null).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    static HttpResponse<String> call(String method, String path, String token, Object body) throws Exception {
        return HTTP.send(build(method, path, token, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The status, and for a refusal the problem's code. */
    static String answer(HttpRequest request) throws Exception {
        var r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2 || r.statusCode() == 401) return Integer.toString(r.statusCode());
        Object code = r.body().startsWith("{") ? JSON.std.mapFrom(r.body()).get("code") : null;
        return r.statusCode() + " " + code + (r.statusCode() == 403 ? "" : " (" + r.body() + ")");
    }

    static void assertStatus(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
    }
}
