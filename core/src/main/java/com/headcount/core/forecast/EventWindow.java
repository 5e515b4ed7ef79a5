package com.headcount.core.forecast;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When an event runs and in which time zone its organiser reads the clock.
 * Arrivals are counted from {@link #doorsOpen()}, the earliest time a scan is accepted (rule 4 of
 * docs/architecture.md, "How a scan is decided").
 */
public record EventWindow(Instant start, Instant end, ZoneId timeZone) {

    /** Scans are accepted from one hour before the start. */
    public static final Duration DOORS_OPEN_BEFORE_START = Duration.ofHours(1);

    public EventWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(timeZone, "timeZone");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("event end must be after its start");
        }
    }

    public Instant doorsOpen() {
        return start.minus(DOORS_OPEN_BEFORE_START);
    }

    /** The span over which new arrivals are expected: doors open to event end. */
    Duration arrivalSpan() {
        return Duration.between(doorsOpen(), end);
    }

    /** Where {@code t} falls in the arrival span, 0 at doors open and 1 at the end, clamped. */
    double fractionOfArrivalSpan(Instant t) {
        double f = (double) Duration.between(doorsOpen(), t).toMillis() / arrivalSpan().toMillis();
        return Math.max(0, Math.min(1, f));
    }
}
