package com.headcount.core.dashboard;

import java.time.Duration;
import java.time.Instant;

/**
 * How much of the dashboards one token or one event may take (issue 19 point 2), so a viewer token in a loop cannot
 * fill the stage's request rate staff phones need, nor leave thousands of idle connections for every broadcast.
 *
 * @param ticketsPerSubjectPerMinute a dashboard reconnecting with backoff needs a few a minute; a loop needs thousands
 * @param ticketsPerEventPerMinute   every screen of a large event reconnecting at once after a network cut
 * @param connectionsPerSubject      the screens of one token (a kiosk token runs one or a few)
 * @param connectionsPerEvent        more than any venue has screens and organisers watching
 */
public record DashboardLimits(int ticketsPerSubjectPerMinute, int ticketsPerEventPerMinute, int connectionsPerSubject,
                              int connectionsPerEvent) {

    public static final DashboardLimits DEFAULT = new DashboardLimits(30, 3000, 20, 2000);

    public DashboardLimits {
        if (ticketsPerSubjectPerMinute < 1 || ticketsPerEventPerMinute < 1 || connectionsPerSubject < 1
                || connectionsPerEvent < 1) {
            throw new IllegalArgumentException("every dashboard limit is at least 1");
        }
    }

    static String ticketsOfSubject(String subject, long minute) {
        return "quota#tickets#subject#" + minute + "#" + subject;
    }

    static String ticketsOfEvent(String eventId, long minute) {
        return "quota#tickets#event#" + minute + "#" + eventId;
    }

    static String connectionsOfSubject(String subject) {
        return "quota#connections#subject#" + subject;
    }

    static String connectionsOfEvent(String eventId) {
        return "quota#connections#event#" + eventId;
    }

    /** Every connection it counts is closed two hours after it connected at the latest. */
    static Instant connectionCountsKeptUntil(Instant connectedAt) {
        return connectedAt.plus(Dashboards.CONNECTION_LIFETIME).plus(Duration.ofMinutes(5));
    }
}
