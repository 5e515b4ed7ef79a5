package com.headcount.core.api;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Organisers' set-up bodies: an event, a gate, a participant's status. A PUT states the whole thing. */
public final class EventSetup {

    private EventSetup() {}

    public static AttendanceEvent event(String eventId, Map<String, Object> body) {
        StrictJson.onlyKnown(body, Set.of("name", "start", "end", "timeZone", "clockSkewToleranceSeconds",
                "overloadThreshold", "lowAttendanceRate"), "");
        Instant start = instant(body, "start");
        Instant end = instant(body, "end");
        if (end.isBefore(start)) throw Problem.invalidBody("end: before start").failure();
        if (Duration.between(start, end).toDays() > 366) throw Problem.invalidBody("end: more than a year after start").failure();
        ZoneId zone;
        String zoneName = StrictJson.optionalText(body, "timeZone", 64);
        try {
            zone = zoneName == null ? ZoneId.of("UTC") : ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw Problem.invalidBody("timeZone: expected an IANA time zone such as Europe/Berlin").failure();
        }
        Long skew = StrictJson.optionalLong(body, "clockSkewToleranceSeconds", 0, 3600);
        Double overload = StrictJson.optionalFraction(body, "overloadThreshold");
        Double low = StrictJson.optionalFraction(body, "lowAttendanceRate");
        return new AttendanceEvent(eventId, StrictJson.optionalText(body, "name", 200), start, end, zone,
                skew == null ? AttendanceEvent.DEFAULT_CLOCK_SKEW_TOLERANCE : Duration.ofSeconds(skew),
                overload == null ? AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD : overload,
                low == null ? AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE : low);
    }

    public static Map<String, Object> toMap(AttendanceEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", e.eventId());
        m.put("name", e.name());
        m.put("start", e.start().toString());
        m.put("end", e.end().toString());
        m.put("timeZone", e.timeZone().getId());
        m.put("clockSkewToleranceSeconds", e.clockSkewTolerance().toSeconds());
        m.put("overloadThreshold", e.overloadThreshold());
        m.put("lowAttendanceRate", e.lowAttendanceRate());
        return m;
    }

    public static Gate gate(String eventId, String gateId, Map<String, Object> body) {
        StrictJson.onlyKnown(body, Set.of("name", "active", "capacityPerMinute"), "");
        Boolean active = StrictJson.optionalBoolean(body, "active");
        Long capacity = StrictJson.optionalLong(body, "capacityPerMinute", 0, 100_000);
        if (capacity == null) throw Problem.invalidBody("capacityPerMinute: missing").failure();
        return new Gate(eventId, gateId, StrictJson.optionalText(body, "name", 200), active == null || active,
                capacity.intValue());
    }

    public static Map<String, Object> toMap(Gate g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", g.eventId());
        m.put("gateId", g.gateId());
        m.put("name", g.name());
        m.put("active", g.active());
        m.put("capacityPerMinute", g.capacityPerMinute());
        return m;
    }

    public static String participantStatus(Map<String, Object> body) {
        StrictJson.onlyKnown(body, Set.of("status"), "");
        String status = StrictJson.optionalText(body, "status", 32);
        if (status == null || !ParticipantImport.STATUSES.contains(status)) {
            throw Problem.invalidBody("status: expected one of active, inactive, cancelled").failure();
        }
        return status;
    }

    private static Instant instant(Map<String, Object> body, String name) {
        String raw = StrictJson.optionalText(body, name, 64);
        if (raw == null) throw Problem.invalidBody(name + ": missing").failure();
        try {
            return OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw Problem.invalidBody(name + ": expected ISO-8601 with an offset, e.g. 2026-11-26T09:00:00+01:00").failure();
        }
    }
}
