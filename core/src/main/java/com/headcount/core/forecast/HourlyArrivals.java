package com.headcount.core.forecast;

import java.time.ZonedDateTime;

/**
 * Arrivals in one local hour of the event's time zone: those already counted plus those still expected.
 * The start carries its offset, so the repeated hour of a DST change is two distinct hours.
 */
public record HourlyArrivals(ZonedDateTime start, int observed, double projected) {

    public double expected() {
        return observed + projected;
    }
}
