package com.headcount.core.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A raised alert. Its id is deterministic (event, type, subject, episode), so a publication repeated after a crash
 * carries the same id and receivers can drop it.
 *
 * @param gateId    the gate of a gate_overload; null for event-wide alerts
 * @param value     the measured figure (load factor, or attendance rate 0..1)
 * @param threshold the per-event threshold it crossed
 */
public record Alert(String id, String type, String eventId, String gateId, int episode, Instant raisedAt,
                    double value, double threshold, String message) {

    public static final String GATE_OVERLOAD = "gate_overload";
    public static final String LOW_ATTENDANCE = "low_attendance";
    /** Issue 18: a gate's provisional verdicts and the cloud's disagreeing on who went in, too often. */
    public static final String EDGE_MISMATCH = "edge_mismatch";

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }

    /** The alert condition's name within its event: one per gate for overload, one for the event otherwise. */
    public static String conditionKey(String type, String gateId) {
        return gateId == null ? type : type + "#" + gateId;
    }

    public static String idOf(String eventId, String type, String gateId, int episode) {
        return eventId + ":" + conditionKey(type, gateId) + ":" + episode;
    }

    /** A UUID derived from the id: the same on every attempt and every redelivery, for receivers to drop repeats. */
    public String deliveryId() {
        return UUID.nameUUIDFromBytes(("headcount-alert:" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("eventId", eventId);
        if (gateId != null) m.put("gateId", gateId);
        m.put("episode", episode);
        m.put("raisedAt", raisedAt.toString());
        m.put("value", Math.round(value * 1000) / 1000.0);
        m.put("threshold", threshold);
        m.put("message", message);
        return m;
    }

    public static Alert fromMap(Map<String, Object> m) {
        return new Alert((String) m.get("id"), (String) m.get("type"), (String) m.get("eventId"),
                (String) m.get("gateId"), ((Number) m.get("episode")).intValue(), Instant.parse((String) m.get("raisedAt")),
                ((Number) m.get("value")).doubleValue(), ((Number) m.get("threshold")).doubleValue(),
                (String) m.get("message"));
    }
}
