package com.headcount.core.api;

import com.headcount.core.access.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's routing table: method and path template to a route name, the way the OpenAPI document lists them.
 * A test compares this table with openapi.yaml, so the two cannot drift apart.
 */
public final class Routes {

    private static final boolean AT_GATE = true;
    private static final boolean ANY_GATE = false;

    public enum Route {
        RECORD("POST", "/api/v1/attendance/record", Role.GATE_STAFF, AT_GATE, Scopes.SCANS),
        BATCH("POST", "/api/v1/attendance/batch", Role.GATE_STAFF, AT_GATE, Scopes.SCANS),
        GET_EVENT("GET", "/api/v1/events/{eventId}", Role.VIEWER, ANY_GATE, Scopes.READ),
        PUT_EVENT("PUT", "/api/v1/events/{eventId}", Role.ORGANIZER, ANY_GATE, Scopes.SETUP),
        PUT_GATE("PUT", "/api/v1/events/{eventId}/gates/{gateId}", Role.ORGANIZER, ANY_GATE, Scopes.SETUP),
        IMPORT_PARTICIPANTS("POST", "/api/v1/events/{eventId}/participants/imports", Role.ORGANIZER, ANY_GATE, Scopes.SETUP),
        GET_IMPORT("GET", "/api/v1/events/{eventId}/participants/imports/{importId}", Role.ORGANIZER, ANY_GATE, Scopes.SETUP),
        PUT_PARTICIPANT_STATUS("PUT", "/api/v1/events/{eventId}/participants/{participantId}/status", Role.ORGANIZER,
                ANY_GATE, Scopes.SETUP),
        STATS("GET", "/api/v1/events/{eventId}/stats", Role.VIEWER, ANY_GATE, Scopes.READ, Scopes.DASHBOARD),
        STATS_GATES("GET", "/api/v1/events/{eventId}/stats/gates", Role.VIEWER, ANY_GATE, Scopes.READ, Scopes.DASHBOARD),
        STATS_GATE("GET", "/api/v1/events/{eventId}/stats/gates/{gateId}", Role.VIEWER, ANY_GATE, Scopes.READ,
                Scopes.DASHBOARD),
        STATS_HOURLY("GET", "/api/v1/events/{eventId}/stats/hourly", Role.VIEWER, ANY_GATE, Scopes.READ, Scopes.DASHBOARD),
        STATS_PREDICTIVE("GET", "/api/v1/events/{eventId}/stats/predictive", Role.VIEWER, ANY_GATE, Scopes.READ,
                Scopes.DASHBOARD),
        ALERTS("GET", "/api/v1/events/{eventId}/alerts", Role.VIEWER, ANY_GATE, Scopes.READ),
        DASHBOARD_TICKET("POST", "/api/v1/events/{eventId}/dashboard-tickets", Role.VIEWER, ANY_GATE, Scopes.READ,
                Scopes.DASHBOARD),
        ATTENDANCE("GET", "/api/v1/events/{eventId}/attendance", Role.VIEWER, ANY_GATE, Scopes.READ),
        ATTENDANCE_CSV("GET", "/api/v1/events/{eventId}/attendance.csv", Role.VIEWER, ANY_GATE, Scopes.READ),
        /** A staff phone deciding offline at its gate, with the list the gates use: who may record there may have it. */
        ALLOWLIST("GET", "/api/v1/events/{eventId}/gates/{gateId}/allowlist", Role.GATE_STAFF, AT_GATE, Scopes.SCANS);

        public final String method;
        public final String template;
        /**
         * The OAuth scopes of which a token needs one for the route, besides its role: API Gateway checks it, as does the
         * local one.
         */
        public final List<String> scopes;
        /**
         * The least role the token needs in the request's event. The route's handler checks it itself; the
         * authorisation matrix test (local module) derives its expectations from this table and proves the two agree.
         */
        public final Role role;
        /**
         * Whether the route acts at a gate named in the request (a scan's {@code gateId}, or the path's): gate staff
         * then need that gate in their token's {@code gates}; organisers of the event act at every gate.
         */
        public final boolean atGate;
        private final Pattern pattern;
        private final List<String> names = new ArrayList<>();

        Route(String method, String template, Role role, boolean atGate, String... scopes) {
            this.method = method;
            this.template = template;
            this.role = role;
            this.atGate = atGate;
            this.scopes = List.of(scopes);
            StringBuilder regex = new StringBuilder();
            for (String part : template.substring(1).split("/")) {
                regex.append('/');
                if (part.startsWith("{")) {
                    names.add(part.substring(1, part.length() - 1));
                    // a path parameter is one segment; its content is validated by the route
                    regex.append("([^/]+)");
                } else {
                    regex.append(Pattern.quote(part));
                }
            }
            this.pattern = Pattern.compile(regex.toString());
        }
    }

    /**
     * What a client application may call, granted by the identity provider to the app (not to the person): a staff
     * phone's app records scans and reads, a dashboard only reads. Roles then say in which events.
     */
    public static final class Scopes {
        public static final String SCANS = "headcount/scans";
        public static final String SETUP = "headcount/setup";
        public static final String READ = "headcount/read";
        /**
         * A venue screen's (kiosk's) client: connect tickets and statistics, nothing else, so a screen left running all
         * day never holds a token that can read the attendance log, record scans or set an event up.
         */
        public static final String DASHBOARD = "headcount/dashboard";

        private Scopes() {}
    }

    /** A matched request: which route, and its path parameters (still percent-encoded as they came). */
    public record Match(Route route, Map<String, String> parameters) {}

    private Routes() {}

    /**
     * @return the route, or a 404 problem when no template matches, or 405 when one matches under another method
     */
    public static Match match(String method, String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        List<String> allowed = new ArrayList<>();
        for (Route route : Route.values()) {
            var m = route.pattern.matcher(p);
            if (!m.matches()) continue;
            // a literal segment beats a parameter: /stats/gates is not /stats/{something}
            if (!route.method.equalsIgnoreCase(method)) {
                allowed.add(route.method);
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < route.names.size(); i++) params.put(route.names.get(i), m.group(i + 1));
            return new Match(route, params);
        }
        if (!allowed.isEmpty()) {
            throw Problem.of(405, "method_not_allowed", "Method not allowed", "allowed: " + String.join(", ", allowed))
                    .with("allow", String.join(", ", allowed)).failure();
        }
        throw Problem.notFound("route_not_found", "No such resource", "no route for this path").failure();
    }

    public static Optional<Route> byTemplate(String method, String template) {
        for (Route r : Route.values()) {
            if (r.method.equalsIgnoreCase(method) && r.template.equals(template)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
