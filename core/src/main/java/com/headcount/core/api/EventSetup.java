package com.headcount.core.api;

import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.ArrivalProfile;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ForecastSettings;
import com.headcount.core.reference.Gate;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Organisers' set-up bodies: an event, a gate, a participant's status. A PUT states the whole thing. */
public final class EventSetup {

    private EventSetup() {}

    public static AttendanceEvent event(String eventId, Map<String, Object> body) {
        StrictJson.onlyKnown(body, Set.of("name", "start", "end", "timeZone", "clockSkewToleranceSeconds",
                "httpScanMaxAgeSeconds", "overloadThreshold", "lowAttendanceRate", "forecast",
                "edgeMismatchAlertThreshold", "edge"), "");
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
        Long maxAge = StrictJson.optionalLong(body, "httpScanMaxAgeSeconds", 60, MAX_HTTP_SCAN_AGE_SECONDS);
        Double overload = StrictJson.optionalFraction(body, "overloadThreshold");
        Double low = StrictJson.optionalFraction(body, "lowAttendanceRate");
        Long mismatches = StrictJson.optionalLong(body, "edgeMismatchAlertThreshold", 1, 100_000);
        return new AttendanceEvent(eventId, StrictJson.optionalText(body, "name", 200), start, end, zone,
                skew == null ? AttendanceEvent.DEFAULT_CLOCK_SKEW_TOLERANCE : Duration.ofSeconds(skew),
                overload == null ? AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD : overload,
                low == null ? AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE : low, forecast(body.get("forecast")),
                maxAge == null ? null : Duration.ofSeconds(maxAge), mismatches == null ? 0 : mismatches.intValue());
    }

    /** As long as an event may run: at most, every scan of its window stays acceptable. */
    static final long MAX_HTTP_SCAN_AGE_SECONDS = 367L * 24 * 3600;

    /** Most events with a fixed reference shape would give it at this resolution or coarser: every 5 minutes of a day. */
    static final int MAX_PROFILE_POINTS = 289;
    static final double MAX_PRIOR_WEIGHT = 10;

    /**
     * {@code forecast}: {@code showUpRate} (0..1, default 0.85), {@code priorWeight} (0..10, default 0.25) and
     * {@code arrivalProfile}: "observed" (default: read from the arrivals), "uniform", or the cumulative share of
     * arrivals at equally spaced points from doors open to the end, from 0 to 1, never decreasing.
     */
    @SuppressWarnings("unchecked")
    static ForecastSettings forecast(Object raw) {
        ForecastSettings d = ForecastSettings.defaults();
        if (raw == null) return d;
        if (!(raw instanceof Map<?, ?> map)) throw Problem.invalidBody("forecast: expected an object").failure();
        Map<String, Object> f = (Map<String, Object>) map;
        StrictJson.onlyKnown(f, Set.of("showUpRate", "priorWeight", "arrivalProfile"), "forecast.");
        Double rate = number(f.get("showUpRate"), 0, 1, "forecast.showUpRate");
        Double weight = number(f.get("priorWeight"), 0, MAX_PRIOR_WEIGHT, "forecast.priorWeight");
        return new ForecastSettings(rate == null ? d.priorShowUpRate() : rate, weight == null ? d.priorWeight() : weight,
                profile(f.get("arrivalProfile")));
    }

    private static ArrivalProfile profile(Object raw) {
        if (raw == null || "observed".equals(raw)) return ArrivalProfile.observed();
        if ("uniform".equals(raw)) return ArrivalProfile.uniform();
        String expected = "forecast.arrivalProfile: expected \"observed\", \"uniform\" or 2 to " + MAX_PROFILE_POINTS
                + " cumulative shares from 0 to 1, never decreasing";
        if (!(raw instanceof List<?> list) || list.size() < 2 || list.size() > MAX_PROFILE_POINTS) {
            throw Problem.invalidBody(expected).failure();
        }
        double[] shares = new double[list.size()];
        for (int i = 0; i < shares.length; i++) {
            Double v = number(list.get(i), 0, 1, "forecast.arrivalProfile");
            if (v == null) throw Problem.invalidBody(expected).failure();
            shares[i] = v;
        }
        try {
            return ArrivalProfile.of(shares);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidBody(expected).failure();
        }
    }

    private static Double number(Object v, double min, double max, String path) {
        if (v == null) return null;
        double d = v instanceof Number n && !(v instanceof BigInteger b && b.bitLength() > 63)
                ? n.doubleValue() : Double.NaN;
        if (!Double.isFinite(d) || d < min || d > max) {
            throw Problem.invalidBody(path + ": expected a number from " + fmt(min) + " to " + fmt(max)).failure();
        }
        return d;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The longest {@code edge.maxAgeSeconds}: a week, longer than any event's offline spell worth deciding through. */
    static final long MAX_EDGE_AGE_SECONDS = 7L * 24 * 3600;

    /**
     * {@code edge}: {@code maxAgeSeconds} (60 s to a week, default 7200), past which a gate says its allow-list is
     * stale, and {@code whenStale}: "keep_deciding" (default) or "refuse" (docs/architecture.md, "Offline and age").
     */
    @SuppressWarnings("unchecked")
    public static EdgePolicy edgePolicy(Object raw) {
        EdgePolicy d = EdgePolicy.defaults();
        if (raw == null) return d;
        if (!(raw instanceof Map<?, ?> map)) throw Problem.invalidBody("edge: expected an object").failure();
        Map<String, Object> e = (Map<String, Object>) map;
        StrictJson.onlyKnown(e, Set.of("maxAgeSeconds", "whenStale"), "edge.");
        Long maxAge;
        String when;
        try {
            maxAge = StrictJson.optionalLong(e, "maxAgeSeconds", 60, MAX_EDGE_AGE_SECONDS);
            when = StrictJson.optionalText(e, "whenStale", 32);
        } catch (Problem.Failure f) {
            throw Problem.invalidBody("edge." + f.problem().detail()).failure(); // the field's full path, as forecast's
        }
        EdgePolicy.WhenStale whenStale;
        try {
            whenStale = when == null ? d.whenStale() : EdgePolicy.WhenStale.fromWire(when);
        } catch (IllegalArgumentException x) {
            throw Problem.invalidBody("edge.whenStale: expected \"keep_deciding\" or \"refuse\"").failure();
        }
        return new EdgePolicy(maxAge == null ? d.maxAge() : Duration.ofSeconds(maxAge), whenStale);
    }

    public static Map<String, Object> toMap(AttendanceEvent e, EdgePolicy edge) {
        Map<String, Object> m = toMap(e);
        Map<String, Object> edgeMap = new LinkedHashMap<>();
        edgeMap.put("maxAgeSeconds", edge.maxAge().toSeconds());
        edgeMap.put("whenStale", edge.whenStale().wireName());
        m.put("edge", edgeMap);
        return m;
    }

    public static Map<String, Object> toMap(AttendanceEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", e.eventId());
        m.put("name", e.name());
        m.put("start", e.start().toString());
        m.put("end", e.end().toString());
        m.put("timeZone", e.timeZone().getId());
        m.put("clockSkewToleranceSeconds", e.clockSkewTolerance().toSeconds());
        m.put("httpScanMaxAgeSeconds", e.httpScanMaxAge().toSeconds());
        m.put("overloadThreshold", e.overloadThreshold());
        m.put("lowAttendanceRate", e.lowAttendanceRate());
        m.put("edgeMismatchAlertThreshold", e.edgeMismatchAlertThreshold());
        ForecastSettings f = e.forecast();
        Map<String, Object> forecast = new LinkedHashMap<>();
        forecast.put("showUpRate", f.priorShowUpRate());
        forecast.put("priorWeight", f.priorWeight());
        forecast.put("arrivalProfile", f.profile().isObserved() ? "observed"
                : f.profile().equals(ArrivalProfile.uniform()) ? "uniform"
                : Arrays.stream(f.profile().cumulativeShares()).boxed().toList());
        m.put("forecast", forecast);
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
