package com.headcount.core.access;

import com.headcount.core.scan.IdRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is calling, as the JWT authorizer vouched: which role the caller has in which event, and at which gates a
 * gate-staff grant may scan. The function checks these on every route (the authorizer only proves the token is
 * genuine and, with its scopes, which routes the client may call).
 *
 * <p>Claims (docs/api.md, "Tokens"):
 * <ul>
 *   <li>{@code roles} + {@code events}: every listed role in every listed event ({@code "*"} = all events), e.g.
 *       {@code "roles": ["organizer"], "events": ["A", "B"]};</li>
 *   <li>{@code eventRoles}: one role per event, {@code "event:role"} entries, e.g.
 *       {@code "eventRoles": ["A:organizer", "B:viewer"]} is organizer of A and only viewer of B; no wildcard;</li>
 *   <li>{@code gates}: the gates a gate-staff grant may scan at ({@code "*"} = every gate of its events). Without it a
 *       gate-staff grant scans nowhere; organisers scan at every gate of their events.</li>
 * </ul>
 *
 * <p>Every element of these claims must be well formed, or the whole token is refused: an identity provider that
 * puts a group such as {@code Team X:organizer} into one of them must not grant anything by accident. API Gateway
 * hands an array claim to the function as {@code "[a b]"}; that form, a JSON array and a single value are read, and
 * nothing else (no comma lists), so an element holding a space mostly comes apart into pieces that are refused; the
 * rest ({@code "Y:viewer X:organizer"} as one element) only the token itself shows: {@link #requireUnambiguous}.
 */
public record Caller(String subject, Set<Grant> grants, Set<String> gates) {

    public static final String ALL = "*";

    /** One role in one event ({@link #ALL} for every event, from {@code events} only). */
    public record Grant(Role role, String eventId) {
        boolean allows(Role needed, String event) {
            return role.includes(needed) && (eventId.equals(ALL) || eventId.equals(event));
        }
    }

    private static final Pattern JSON_STRINGS = Pattern.compile("\"[^\",\\\\\\s]*\"(,\"[^\",\\\\\\s]*\")*");

    public Caller {
        grants = Set.copyOf(grants);
        gates = Set.copyOf(gates);
    }

    public static Caller fromAuthorizerClaims(Map<String, String> claims) {
        if (claims == null || claims.isEmpty()) throw new AccessDenied(AccessDenied.UNAUTHORIZED, "no verified token");
        Set<Grant> grants = new HashSet<>();
        List<String> events = elements(claims, "events");
        for (String event : events) {
            if (!event.equals(ALL) && !IdRule.valid(event)) throw malformed("events", "an event id or \"*\"");
        }
        for (String r : elements(claims, "roles")) {
            Role role = Role.fromClaim(r).orElseThrow(() -> malformed("roles", "organizer, gate-staff or viewer"));
            events.forEach(e -> grants.add(new Grant(role, e)));
        }
        for (String entry : elements(claims, "eventRoles")) {
            // event ids may hold ':' themselves; roles never do
            int colon = entry.lastIndexOf(':');
            String event = colon < 0 ? "" : entry.substring(0, colon);
            var role = Role.fromClaim(entry.substring(colon + 1));
            if (!IdRule.valid(event) || role.isEmpty()) {
                throw malformed("eventRoles", "\"eventId:role\", role one of organizer, gate-staff, viewer");
            }
            grants.add(new Grant(role.get(), event));
        }
        List<String> gates = elements(claims, "gates");
        for (String gate : gates) {
            if (!gate.equals(ALL) && !IdRule.valid(gate)) throw malformed("gates", "a gate id or \"*\"");
        }
        return new Caller(claims.getOrDefault("sub", "unknown"), grants, new HashSet<>(gates));
    }

    /** @throws AccessDenied 403 unless one of the caller's grants covers {@code needed} in this event */
    public void require(Role needed, String eventId) {
        if (grants.stream().anyMatch(g -> g.allows(needed, eventId))) return;
        if (!hasAnywhere(needed)) throw new AccessDenied(AccessDenied.FORBIDDEN, "this needs the " + needed.claim() + " role");
        throw new AccessDenied(AccessDenied.FORBIDDEN, "the token does not give the " + needed.claim()
                + " role in this event");
    }

    /**
     * Scanning at a gate: an organiser of the event anywhere, gate staff only at the gates the token names.
     *
     * @throws AccessDenied 403 otherwise
     */
    public void requireGate(String eventId, String gateId) {
        require(Role.GATE_STAFF, eventId);
        if (grants.stream().anyMatch(g -> g.allows(Role.ORGANIZER, eventId))) return;
        if (gates.contains(ALL) || gates.contains(gateId)) return;
        throw new AccessDenied(AccessDenied.GATE_NOT_GRANTED, gates.isEmpty()
                ? "the token names no gates (claim \"gates\"), so it may not record scans"
                : "the token does not name gate " + gateId);
    }

    /** Whether the caller has {@code needed} in at least one event. */
    public boolean hasAnywhere(Role needed) {
        return grants.stream().anyMatch(g -> g.role().includes(needed));
    }

    /** A claim's elements; see the class comment for the forms read. */
    static List<String> elements(Map<String, String> claims, String name) {
        String raw = claims.get(name);
        List<String> values = new ArrayList<>();
        if (raw == null) return values;
        if (!raw.startsWith("[") || !raw.endsWith("]")) {
            values.add(raw);
        } else {
            String inner = raw.substring(1, raw.length() - 1);
            if (inner.isEmpty()) return values;
            if (inner.startsWith("\"")) {
                if (!JSON_STRINGS.matcher(inner).matches()) throw malformed(name, "an array of strings without spaces");
                for (String quoted : inner.split(",")) values.add(quoted.substring(1, quoted.length() - 1));
            } else {
                values.addAll(List.of(inner.split(" ", -1)));
            }
        }
        for (String v : values) {
            // an empty piece is two spaces in a row or one at an edge: an element held a space
            if (v.isEmpty() || !v.chars().allMatch(c -> c > ' ' && c < 127 && c != ',' && c != '"')) {
                throw malformed(name, "elements without spaces, commas or quotes");
            }
        }
        return values;
    }

    /** The claims grants are read from. */
    static final List<String> GRANT_CLAIMS = List.of("roles", "events", "eventRoles", "gates");

    /**
     * Refuses a token whose grant claims, as the token itself has them, hold an element that is not a string or that
     * holds a space or comma. API Gateway joins an array claim with spaces, so {@code ["Y:viewer X:organizer"]} (one
     * identity-provider group) reaches {@link #fromAuthorizerClaims} as two well-formed grants; only the token shows
     * it was one.
     *
     * @param tokenClaims the verified token's payload, parsed
     */
    public static void requireUnambiguous(Map<String, ?> tokenClaims) {
        for (String name : GRANT_CLAIMS) {
            Object v = tokenClaims.get(name);
            List<?> elements = v instanceof List<?> list ? list : v == null ? List.of() : List.of(v);
            for (Object e : elements) {
                if (!(e instanceof String s) || s.isEmpty()
                        || s.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
                    throw malformed(name, "a string without spaces or commas");
                }
            }
        }
    }

    private static AccessDenied malformed(String claim, String expected) {
        return new AccessDenied(AccessDenied.INVALID_CLAIMS, "claim " + claim + ": every element must be " + expected);
    }

    /** The string form API Gateway gives a claim, for the local gateway to copy. */
    public static String claimString(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) b.append(i == 0 ? "" : " ").append(list.get(i));
            return b.append(']').toString();
        }
        return String.valueOf(value);
    }
}
