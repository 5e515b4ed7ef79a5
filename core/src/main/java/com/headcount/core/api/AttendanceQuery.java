package com.headcount.core.api;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attendance log's filters and page position. The cursor is opaque to clients: base64url of the store's last
 * key plus a fingerprint of the filters, so a cursor cannot be replayed against another query or forged into
 * another event's partition.
 *
 * @param from inclusive, or null
 * @param to   exclusive, or null
 */
public record AttendanceQuery(String eventId, String participantId, String gateId, Instant from, Instant to,
                              String outcome, int limit, Map<String, String> after) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_CSV_LIMIT = 10_000;
    private static final Set<String> PARAMETERS = Set.of("participantId", "gateId", "from", "to", "outcome", "limit", "cursor");
    private static final Set<String> OUTCOMES = Set.of("accepted", "duplicate", "rejected");

    public static AttendanceQuery parse(String eventId, Map<String, String> query, int maxLimit) {
        Map<String, String> q = query == null ? Map.of() : query;
        for (String name : q.keySet()) {
            if (!PARAMETERS.contains(name)) throw Problem.invalidParameter(StrictJson.printable(name) + ": unknown query parameter").failure();
        }
        String participant = q.get("participantId") == null ? null : Ids.require("participantId", q.get("participantId"));
        String gate = q.get("gateId") == null ? null : Ids.require("gateId", q.get("gateId"));
        Instant from = instant(q.get("from"), "from");
        Instant to = instant(q.get("to"), "to");
        if (from != null && to != null && !from.isBefore(to)) throw Problem.invalidParameter("from: not before to").failure();
        String outcome = q.get("outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw Problem.invalidParameter("outcome: expected accepted, duplicate or rejected").failure();
        }
        if (participant == null && gate != null && outcome != null && !outcome.equals("accepted")) {
            throw Problem.invalidParameter("outcome: a gate's log holds its accepted scans only; "
                    + "give participantId for duplicates and rejects").failure();
        }
        int limit = DEFAULT_LIMIT;
        if (q.get("limit") != null) {
            String raw = q.get("limit");
            if (!raw.matches("[0-9]{1,6}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > maxLimit) {
                throw Problem.invalidParameter("limit: expected 1 to " + maxLimit).failure();
            }
            limit = Integer.parseInt(raw);
        }
        var unpositioned = new AttendanceQuery(eventId, participant, gate, from, to, outcome, limit, null);
        Map<String, String> after = q.get("cursor") == null ? null : unpositioned.decodeCursor(q.get("cursor"));
        return new AttendanceQuery(eventId, participant, gate, from, to, outcome, limit, after);
    }

    /** What a cursor is bound to: the filters, not the page size. */
    String fingerprint() {
        return String.join("|", eventId, String.valueOf(participantId), String.valueOf(gateId), String.valueOf(from),
                String.valueOf(to), String.valueOf(outcome));
    }

    public String encodeCursor(Map<String, String> lastKey) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("k", lastKey);
        doc.put("q", Integer.toHexString(fingerprint().hashCode()));
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.std.asBytes(doc));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> decodeCursor(String token) {
        Problem bad = Problem.invalidParameter("cursor: not a cursor of this query (take it from nextCursor)");
        if (token.length() > 2048) throw bad.failure();
        try {
            Object doc = JSON.std.anyFrom(Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII)));
            if (doc instanceof Map<?, ?> m && Integer.toHexString(fingerprint().hashCode()).equals(m.get("q"))
                    && m.get("k") instanceof Map<?, ?> k && !k.isEmpty() && k.size() <= 4) {
                Map<String, String> key = new LinkedHashMap<>();
                for (var e : k.entrySet()) {
                    if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value)
                            || value.isEmpty() || value.length() > 600) {
                        throw bad.failure();
                    }
                    key.put(name, value);
                }
                return key;
            }
        } catch (IOException | IllegalArgumentException e) {
            // falls through
        }
        throw bad.failure();
    }

    private static Instant instant(String raw, String name) {
        if (raw == null) return null;
        try {
            return OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw Problem.invalidParameter(name + ": expected ISO-8601 with an offset").failure();
        }
    }
}
