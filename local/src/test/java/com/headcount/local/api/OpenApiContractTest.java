package com.headcount.local.api;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.api.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** openapi.yaml lists exactly the routes the function serves, and each answers only with statuses it documents. */
@ExtendWith(Emulators.Extension.class)
class OpenApiContractTest {

    record Operation(String method, String path, Set<String> statuses) {}

    static final Pattern PATH = Pattern.compile("^  (/\\S*):\\s*$");
    static final Pattern METHOD = Pattern.compile("^    (get|put|post|delete|patch):\\s*$");
    static final Pattern STATUS = Pattern.compile("^        '(\\d{3})':\\s*$");

    static List<Operation> operations() throws IOException {
        String yaml;
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            assertNotNull(in, "openapi.yaml on the classpath");
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Operation> ops = new ArrayList<>();
        String path = null;
        boolean inPaths = false;
        for (String line : yaml.split("\n")) {
            if (line.startsWith("paths:")) inPaths = true;
            else if (!line.startsWith(" ") && !line.isBlank()) inPaths = false;
            if (!inPaths) continue;
            Matcher m;
            if ((m = PATH.matcher(line)).matches()) path = m.group(1);
            else if ((m = METHOD.matcher(line)).matches()) ops.add(new Operation(m.group(1).toUpperCase(), path, new TreeSet<>()));
            else if ((m = STATUS.matcher(line)).matches()) ops.get(ops.size() - 1).statuses().add(m.group(1));
        }
        return ops;
    }

    @Test
    void theDocumentListsEveryRouteAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (Operation op : operations()) documented.add(op.method() + " " + op.path());
        Set<String> served = new TreeSet<>();
        for (Routes.Route r : Routes.Route.values()) served.add(r.method + " " + r.template);
        assertEquals(served, documented);
    }

    @Test
    void eachOperationNamesTheScopeItsRouteNeeds() throws IOException {
        String yaml;
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> documented = new java.util.TreeMap<>();
        String path = null;
        String operation = null;
        // alternatives: [{bearer: [a]}, {bearer: [b]}] lets a token with a or with b in
        Pattern security = Pattern.compile("^      security: (\\[\\{bearer: \\[[^\\]]+\\]\\}(?:, \\{bearer: \\[[^\\]]+\\]\\})*\\])\\s*$");
        Pattern bearer = Pattern.compile("\\{bearer: \\[([^\\]]+)\\]\\}");
        for (String line : yaml.split("\n")) {
            if (line.startsWith("components:")) break;
            Matcher m;
            if ((m = PATH.matcher(line)).matches()) path = m.group(1);
            else if ((m = METHOD.matcher(line)).matches()) operation = m.group(1).toUpperCase() + " " + path;
            else if ((m = security.matcher(line)).matches()) {
                List<String> scopes = new java.util.ArrayList<>();
                Matcher b = bearer.matcher(m.group(1));
                while (b.find()) scopes.add(b.group(1).trim());
                documented.put(operation, String.join(" | ", scopes));
            }
        }
        Map<String, String> served = new java.util.TreeMap<>();
        for (Routes.Route r : Routes.Route.values()) served.put(r.method + " " + r.template, String.join(" | ", r.scopes));
        assertEquals(served, documented);
    }

    @Test
    void everyRouteAnswersAsDocumented(Emulators emulators) throws IOException {
        String e = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> snapshot = Map.of("eventId", e, "overall", Map.of("checkedIn", 1),
                "gates", Map.of("north", Map.of("checkedIn", 1)), "hourly", List.of(), "predictive", Map.of(),
                "alerts", List.of(), "lastUpdated", Instant.now().toString());
        try (var h = new ApiHarness(emulators, id -> id.equals(e) ? Optional.of(snapshot) : Optional.empty(), true)) {
            String organizer = h.token("organizer", e);
            Instant now = Instant.now();
            Map<String, Function<Operation, ApiHarness.Answer>> calls = new LinkedHashMap<>();
            String base = "/api/v1/events/" + e;
            calls.put("PUT " + base, op -> h.json("PUT", base, organizer, Map.of("start", now.minus(Duration.ofHours(1)).toString(),
                    "end", now.plus(Duration.ofHours(3)).toString())));
            calls.put("GET " + base, op -> h.get(base, organizer));
            calls.put("PUT " + base + "/gates/north", op -> h.json("PUT", base + "/gates/north", organizer,
                    Map.of("capacityPerMinute", 20)));
            calls.put("GET " + base + "/gates/north/allowlist", op -> h.get(base + "/gates/north/allowlist", organizer));
            calls.put("POST " + base + "/participants/imports", op -> h.send("POST", base + "/participants/imports",
                    organizer, "text/csv", "participantId\r\np-1\r\np-2\r\n".getBytes(StandardCharsets.UTF_8)));
            calls.put("PUT " + base + "/participants/p-2/status", op -> h.json("PUT", base + "/participants/p-2/status",
                    organizer, Map.of("status", "inactive")));
            calls.put("POST /api/v1/attendance/record", op -> h.json("POST", "/api/v1/attendance/record", organizer,
                    Map.of("eventId", e, "participantId", "p-1", "gateId", "north", "timestamp", now.minusSeconds(5).toString(),
                            "method", "manual")));
            calls.put("POST /api/v1/attendance/batch", op -> h.json("POST", "/api/v1/attendance/batch", organizer,
                    Map.of("eventId", e, "scans", List.of(Map.of("participantId", "p-2", "gateId", "north",
                            "timestamp", now.minusSeconds(5).toString(), "method", "manual")))));
            calls.put("POST " + base + "/dashboard-tickets", op -> h.send("POST", base + "/dashboard-tickets", organizer,
                    "application/json", null));
            for (String section : List.of("/stats", "/stats/gates", "/stats/gates/north", "/stats/hourly",
                    "/stats/predictive", "/alerts", "/attendance?gateId=north", "/attendance.csv?gateId=north",
                    "/participants/imports/does-not-exist")) {
                calls.put("GET " + base + section, op -> h.get(base + section, organizer));
            }

            int checked = 0;
            for (Operation op : operations()) {
                String concrete = null;
                for (String key : calls.keySet()) {
                    String[] parts = key.split(" ", 2);
                    String path = parts[1].split("\\?")[0];
                    if (parts[0].equals(op.method()) && Routes.match(op.method(), path).route()
                            == Routes.byTemplate(op.method(), op.path()).orElseThrow()) {
                        concrete = key;
                    }
                }
                assertNotNull(concrete, "a sample call for " + op.method() + " " + op.path());
                var answer = calls.get(concrete).apply(op);
                assertTrue(op.statuses().contains(Integer.toString(answer.status())),
                        op.method() + " " + op.path() + " answered " + answer.status() + ", documented " + op.statuses()
                                + ": " + answer.body());
                if (answer.status() >= 400) assertTrue(answer.contentType().startsWith("application/problem+json"));
                // and without a token, every route is 401, as documented
                var anonymous = h.send(op.method(), concrete.split(" ", 2)[1], null, "application/json", null);
                assertEquals(401, anonymous.status());
                assertTrue(op.statuses().contains("401"));
                checked++;
            }
            assertEquals(Routes.Route.values().length, checked);
        }
    }
}
