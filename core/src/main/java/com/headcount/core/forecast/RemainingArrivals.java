package com.headcount.core.forecast;

import com.headcount.core.reference.ArrivalProfile;
import java.time.Duration;
import java.time.Instant;

/**
 * The arrivals still expected, spread over the rest of the arrival span: in the shape of the event's profile, or
 * (observed profile) along the projected rate of {@link ObservedTrend}. Each participant still to come is counted as
 * one entry arrival.
 */
final class RemainingArrivals {

    /** How the remaining arrivals spread over [now, end]: the share of them in [a, b). */
    interface Shape {
        double shareBetween(Instant a, Instant b);
    }

    private final EventWindow event;
    private final Instant now;
    private final int remaining;
    private final Shape shape;

    RemainingArrivals(EventWindow event, Instant now, int remaining, Shape shape) {
        this.event = event;
        this.now = now;
        this.remaining = remaining;
        this.shape = shape;
    }

    /** Share of all arrivals the profile expects by {@code t}. */
    static double shareBy(EventWindow event, ArrivalProfile profile, Instant t) {
        return profile.shareBy(event.fractionOfArrivalSpan(t));
    }

    /** The profile's shape of what is left after now. */
    static Shape ofProfile(EventWindow event, ArrivalProfile profile, Instant now) {
        double left = 1 - shareBy(event, profile, now);
        return (a, b) -> left <= 0 ? 0 : (shareBy(event, profile, b) - shareBy(event, profile, a)) / left;
    }

    int remaining() {
        return remaining;
    }

    /** Arrivals expected in [a, b), counting only the part after now and before the end. */
    double expectedBetween(Instant a, Instant b) {
        Instant from = a.isBefore(now) ? now : a;
        Instant to = b.isAfter(event.end()) ? event.end() : b;
        if (remaining == 0 || !to.isAfter(from)) {
            return 0;
        }
        return remaining * shape.shareBetween(from, to);
    }

    static double minutes(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 60_000.0;
    }
}
