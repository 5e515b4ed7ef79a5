package com.headcount.core.alerts;

/**
 * Where one alert condition (a gate's overload, an event's low attendance) stands: raised in its current episode, or
 * armed (ready to raise the next). {@code episodes} counts the episodes raised so far and numbers the alerts.
 */
public record AlertState(boolean raised, int episodes) {

    public static final AlertState ARMED = new AlertState(false, 0);
}
