package com.headcount.core.access;

import com.headcount.core.api.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, as the JWT authorizer vouched: which role the caller has in which event. The function checks both on
 * every route (the authorizer only proves the token is genuine).
 *
 * <p>Two claim shapes, alone or together (docs/api.md, "Tokens"):
 * <ul>
 *   <li>{@code roles} + {@code events}: every listed role in every listed event ({@code "*"} = all events), e.g.
 *       {@code "roles": ["organizer"], "events": ["A", "B"]};</li>
 *   <li>{@code eventRoles}: one role per event, {@code "event:role"} entries, e.g.
 *       {@code "eventRoles": ["A:organizer", "B:viewer"]} is organizer of A and only viewer of B.</li>
 * </ul>
 *
 * <p>API Gateway hands claims to the function as strings: an array claim arrives as {@code "[a b]"}. This reads that
 * form, a JSON array and a plain comma- or space-separated list alike (event ids and roles hold none of those
 * characters), so the local gateway and AWS give the same caller.
 */
public record Caller(String subject, Set<Grant> grants) {

    public static final String ALL_EVENTS = "*";

    /** One role in one event ({@link #ALL_EVENTS} for every event). */
    public record Grant(Role role, String eventId) {
        boolean allows(Role needed, String event) {
            return role.includes(needed) && (eventId.equals(ALL_EVENTS) || eventId.equals(event));
        }
    }

    public Caller {
        grants = Set.copyOf(grants);
    }

    public static Caller fromAuthorizerClaims(Map<String, String> claims) {
        if (claims == null || claims.isEmpty()) throw Problem.unauthorized("no verified token").failure();
        Set<Grant> grants = new HashSet<>();
        List<String> events = list(claims.get("events"));
        for (String r : list(claims.get("roles"))) {
            Role.fromClaim(r).ifPresent(role -> events.forEach(e -> grants.add(new Grant(role, e))));
        }
        for (String entry : list(claims.get("eventRoles"))) {
            // event ids may hold ':' themselves; roles never do
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) continue;
            String event = entry.substring(0, colon);
            Role.fromClaim(entry.substring(colon + 1)).ifPresent(role -> grants.add(new Grant(role, event)));
        }
        return new Caller(claims.getOrDefault("sub", "unknown"), grants);
    }

    /** @throws Problem.Failure 403 unless one of the caller's grants covers {@code needed} in this event */
    public void require(Role needed, String eventId) {
        if (grants.stream().anyMatch(g -> g.allows(needed, eventId))) return;
        if (!hasAnywhere(needed)) throw Problem.forbidden("this needs the " + needed.claim() + " role").failure();
        throw Problem.forbidden("the token does not give the " + needed.claim() + " role in this event").failure();
    }

    /** Whether the caller has {@code needed} in at least one event. */
    public boolean hasAnywhere(Role needed) {
        return grants.stream().anyMatch(g -> g.role().includes(needed));
    }

    static List<String> list(String raw) {
        List<String> values = new ArrayList<>();
        if (raw == null) return values;
        String s = raw.trim();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        for (String part : s.split("[\\s,]+")) {
            String v = part.strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            if (!v.isEmpty()) values.add(v);
        }
        return values;
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
