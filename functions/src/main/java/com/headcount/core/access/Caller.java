package com.headcount.core.access;

import com.headcount.core.api.Problem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, as the JWT authorizer vouched: roles and the events they apply to. The function checks both on
 * every route (the authorizer only proves the token is genuine).
 *
 * <p>API Gateway hands claims to the function as strings: an array claim arrives as {@code "[a b]"}. This reads that
 * form, a JSON array and a plain comma- or space-separated list alike (event ids and roles hold none of those
 * characters), so the local gateway and AWS give the same caller.
 */
public record Caller(String subject, Set<Role> roles, Set<String> events) {

    public static final String ALL_EVENTS = "*";

    public static Caller fromAuthorizerClaims(Map<String, String> claims) {
        if (claims == null || claims.isEmpty()) throw Problem.unauthorized("no verified token").failure();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : list(claims.get("roles"))) Role.fromClaim(r).ifPresent(roles::add);
        Set<String> events = Set.copyOf(list(claims.get("events")));
        return new Caller(claims.getOrDefault("sub", "unknown"), roles, events);
    }

    /** @throws Problem.Failure 403 unless one of the caller's roles includes {@code needed} for this event */
    public void require(Role needed, String eventId) {
        if (roles.stream().noneMatch(r -> r.includes(needed))) {
            throw Problem.forbidden("this needs the " + needed.claim() + " role").failure();
        }
        if (!mayAccess(eventId)) throw Problem.forbidden("the token does not cover this event").failure();
    }

    public boolean mayAccess(String eventId) {
        return events.contains(ALL_EVENTS) || events.contains(eventId);
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
