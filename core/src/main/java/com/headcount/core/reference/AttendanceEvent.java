package com.headcount.core.reference;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * An organiser's event: when it runs, where (its time zone, for hourly figures), and its per-event settings.
 *
 * @param clockSkewTolerance how far ahead of arrival a device clock may be before its scans are refused
 * @param overloadThreshold  gate load above which a gate_overload alert is raised (0.8 by default)
 * @param lowAttendanceRate  attendance rate (0..1) below which low_attendance is raised past half time
 * @param forecast           the forecast's prior show-up rate, its weight and the arrival profile
 * @param httpScanMaxAge     how long before its arrival a scan sent over HTTP may be dated; older ones are refused
 * @param edgeMismatchAlertThreshold edge mismatches at one gate within 15 minutes that raise edge_mismatch (5 by
 *                           default; at least 1: the alert cannot be switched off, a mismatch is never silent)
 */
public record AttendanceEvent(
        String eventId,
        String name,
        Instant start,
        Instant end,
        ZoneId timeZone,
        Duration clockSkewTolerance,
        double overloadThreshold,
        double lowAttendanceRate,
        ForecastSettings forecast,
        Duration httpScanMaxAge,
        int edgeMismatchAlertThreshold) {

    public static final Duration DEFAULT_CLOCK_SKEW_TOLERANCE = Duration.ofMinutes(2);
    public static final double DEFAULT_OVERLOAD_THRESHOLD = 0.8;
    public static final double DEFAULT_LOW_ATTENDANCE_RATE = 0.3;
    /**
     * A staff phone that loses the network keeps its scans and sends them when it is back; a day covers one offline
     * from doors open to the end of a long event day and sent the next morning. A gate's MQTT backlog is not bound by
     * it: the gate's certificate ties it to its gate, where a token over HTTP could otherwise re-date scans freely.
     */
    public static final Duration DEFAULT_HTTP_SCAN_MAX_AGE = Duration.ofHours(24);
    /**
     * A gate deciding from an allow-list a few minutes stale disagrees now and then by design (a participant
     * deactivated since its last sync, a staff phone's scan it did not see); five at one gate within 15 minutes is a
     * pattern worth a look: a gate offline for long, or deciding from the wrong list.
     */
    public static final int DEFAULT_EDGE_MISMATCH_ALERT_THRESHOLD = 5;
    /** Doors open an hour before the start and scans are taken until an hour after the end. */
    public static final Duration SCAN_MARGIN = Duration.ofHours(1);

    public AttendanceEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) throw new IllegalArgumentException("event ends before it starts");
        name = name == null ? eventId : name;
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        clockSkewTolerance = clockSkewTolerance == null ? DEFAULT_CLOCK_SKEW_TOLERANCE : clockSkewTolerance;
        forecast = forecast == null ? ForecastSettings.defaults() : forecast;
        httpScanMaxAge = httpScanMaxAge == null ? DEFAULT_HTTP_SCAN_MAX_AGE : httpScanMaxAge;
        edgeMismatchAlertThreshold = edgeMismatchAlertThreshold <= 0
                ? DEFAULT_EDGE_MISMATCH_ALERT_THRESHOLD : edgeMismatchAlertThreshold;
    }

    /** With the default edge-mismatch alert threshold. */
    public AttendanceEvent(String eventId, String name, Instant start, Instant end, ZoneId timeZone,
                           Duration clockSkewTolerance, double overloadThreshold, double lowAttendanceRate,
                           ForecastSettings forecast, Duration httpScanMaxAge) {
        this(eventId, name, start, end, timeZone, clockSkewTolerance, overloadThreshold, lowAttendanceRate, forecast,
                httpScanMaxAge, 0);
    }

    /** With the default age limit for HTTP scans. */
    public AttendanceEvent(String eventId, String name, Instant start, Instant end, ZoneId timeZone,
                           Duration clockSkewTolerance, double overloadThreshold, double lowAttendanceRate,
                           ForecastSettings forecast) {
        this(eventId, name, start, end, timeZone, clockSkewTolerance, overloadThreshold, lowAttendanceRate, forecast,
                null);
    }

    /** With the default forecast settings. */
    public AttendanceEvent(String eventId, String name, Instant start, Instant end, ZoneId timeZone,
                           Duration clockSkewTolerance, double overloadThreshold, double lowAttendanceRate) {
        this(eventId, name, start, end, timeZone, clockSkewTolerance, overloadThreshold, lowAttendanceRate, null, null);
    }

    public static AttendanceEvent withDefaults(String eventId, Instant start, Instant end, ZoneId timeZone) {
        return new AttendanceEvent(eventId, eventId, start, end, timeZone, DEFAULT_CLOCK_SKEW_TOLERANCE,
                DEFAULT_OVERLOAD_THRESHOLD, DEFAULT_LOW_ATTENDANCE_RATE);
    }

    /** Bounds included: a scan exactly an hour before the start is still taken. */
    public boolean acceptsScansAt(Instant scannedAt) {
        return !scannedAt.isBefore(start.minus(SCAN_MARGIN)) && !scannedAt.isAfter(end.plus(SCAN_MARGIN));
    }
}
