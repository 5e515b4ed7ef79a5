package com.headcount.core.forecast;

import java.time.Instant;

/**
 * The arrivals still expected, spread over the rest of the arrival span in the shape of the reference profile.
 * Each participant still to come is counted as one entry arrival.
 */
record RemainingArrivals(EventWindow event, ArrivalProfile profile, Instant now, int remaining) {

    /** Share of all arrivals the profile expects by {@code t}. */
    static double shareBy(EventWindow event, ArrivalProfile profile, Instant t) {
        return profile.shareBy(event.fractionOfArrivalSpan(t));
    }

    /** Arrivals expected in [a, b), counting only the part after now. */
    double expectedBetween(Instant a, Instant b) {
        Instant from = a.isBefore(now) ? now : a;
        if (remaining == 0 || !b.isAfter(from)) {
            return 0;
        }
        double shareLeft = 1 - shareBy(event, profile, now);
        if (shareLeft <= 0) {
            return 0;
        }
        return remaining * (shareBy(event, profile, b) - shareBy(event, profile, from)) / shareLeft;
    }
}
