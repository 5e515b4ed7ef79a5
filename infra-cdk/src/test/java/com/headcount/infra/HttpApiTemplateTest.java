package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HttpApiTemplateTest {

    @Test
    void everyOperationOfTheContractIsARouteAndEveryRouteNeedsAToken() {
        var jwt = new java.util.HashMap<>(Synthesised.resources(PROD_TEMPLATE, "AWS::ApiGatewayV2::Authorizer"));
        jwt.values().removeIf(a -> !"JWT".equals(((Map<?, ?>) ((Map<?, ?>) a).get("Properties")).get("AuthorizerType")));
        assertEquals(1, jwt.size());
        Map<?, ?> authorizer = (Map<?, ?>) ((Map<?, ?>) jwt.values().iterator().next()).get("Properties");
        assertEquals("JWT", authorizer.get("AuthorizerType"));
        assertEquals(Map.of("Issuer", "https://id.example.org/", "Audience", List.of("headcount-api")),
                authorizer.get("JwtConfiguration"));
        String authorizerId = jwt.keySet().iterator().next();

        var routes = Synthesised.properties(PROD_TEMPLATE, "AWS::ApiGatewayV2::Route").stream()
                .filter(r -> !String.valueOf(r.get("RouteKey")).startsWith("$")).toList(); // WebSocket routes apart
        TreeSet<Object> keys = new TreeSet<>();
        for (var r : routes) {
            assertEquals("JWT", r.get("AuthorizationType"), "route without a token check: " + r.get("RouteKey"));
            assertEquals(Map.of("Ref", authorizerId), r.get("AuthorizerId"));
            keys.add(r.get("RouteKey"));
        }
        // issue 19: a route without a scope takes any token of the issuer for the audience
        Map<Object, Object> scopes = new java.util.TreeMap<>();
        for (var r : routes) scopes.put(r.get("RouteKey"), r.get("AuthorizationScopes"));
        assertEquals("[headcount/scans]", String.valueOf(scopes.get("POST /api/v1/attendance/record")));
        assertEquals("[headcount/scans]", String.valueOf(scopes.get("POST /api/v1/attendance/batch")));
        assertEquals("[headcount/setup]", String.valueOf(scopes.get("PUT /api/v1/events/{eventId}")));
        assertEquals("[headcount/read]", String.valueOf(scopes.get("GET /api/v1/events/{eventId}/attendance")));
        // a staff phone's allow-list: who may scan at the gate may have it
        assertEquals("[headcount/scans]", String.valueOf(scopes.get("GET /api/v1/events/{eventId}/gates/{gateId}/allowlist")));
        // a kiosk's token (headcount/dashboard alone) gets tickets and statistics, nothing else
        assertEquals("[headcount/read, headcount/dashboard]", String.valueOf(scopes.get("GET /api/v1/events/{eventId}/stats")));
        assertEquals("[headcount/read, headcount/dashboard]",
                String.valueOf(scopes.get("POST /api/v1/events/{eventId}/dashboard-tickets")));
        assertEquals(6, scopes.values().stream().filter(v -> String.valueOf(v).contains("headcount/dashboard")).count());
        for (var e : scopes.entrySet()) {
            assertEquals(Synthesised.REPOSITORY.apiScopes().get(e.getKey()), e.getValue(), "scopes of " + e.getKey());
        }
        assertEquals(new TreeSet<>(Synthesised.REPOSITORY.apiOperations()), keys);
        assertTrue(keys.contains("POST /api/v1/attendance/record"));
    }

    @Test
    void theStageIsThrottledAndAccessLogged() {
        var stages = Synthesised.properties(DEV_TEMPLATE, "AWS::ApiGatewayV2::Stage").stream()
                .filter(s -> !"live".equals(s.get("StageName"))).toList();
        assertEquals(1, stages.size(), "one HTTP stage besides the WebSocket API's");
        var stage = stages.get(0);
        assertEquals(Map.of("ThrottlingRateLimit", 200, "ThrottlingBurstLimit", 400), stage.get("DefaultRouteSettings"));
        assertEquals(Map.of(HttpApiGateway.IMPORT_OPERATION, Map.of("ThrottlingRateLimit", 1, "ThrottlingBurstLimit", 2)),
                stage.get("RouteSettings"), "imports have a throttle of their own");
        String log = String.valueOf(((Map<?, ?>) stage.get("AccessLogSettings")).get("Format"));
        assertTrue(log.contains("$context.routeKey") && log.contains("$context.authorizer.error"), log);
    }

    @Test
    void theImportThrottleNamesARouteTheStageWaitsFor() {
        var stages = new java.util.HashMap<>(Synthesised.resources(DEV_TEMPLATE, "AWS::ApiGatewayV2::Stage"));
        stages.values().removeIf(s -> "live".equals(((Map<?, ?>) ((Map<?, ?>) s).get("Properties")).get("StageName")));
        Map<?, ?> stage = (Map<?, ?>) stages.values().iterator().next();
        var imports = Synthesised.resources(DEV_TEMPLATE, "AWS::ApiGatewayV2::Route").entrySet().stream()
                .filter(r -> HttpApiGateway.IMPORT_OPERATION.equals(
                        ((Map<?, ?>) ((Map<?, ?>) r.getValue()).get("Properties")).get("RouteKey")))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, imports.size());
        assertTrue(((List<?>) stage.get("DependsOn")).contains(imports.get(0)), String.valueOf(stage.get("DependsOn")));
    }

    @Test
    void browsersMayCallFromTheDashboardAndTheOriginsGiven() {
        var api = Synthesised.properties(PROD_TEMPLATE, "AWS::ApiGatewayV2::Api").stream()
                .filter(a -> "HTTP".equals(a.get("ProtocolType"))).findFirst().orElseThrow();
        String origins = String.valueOf(((Map<?, ?>) api.get("CorsConfiguration")).get("AllowOrigins"));
        assertTrue(origins.contains("https://ops.example.org") && origins.contains("DomainName"), origins);
    }
}
