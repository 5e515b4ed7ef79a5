package com.headcount.core.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How the arrivals still expected spread over the gates, and how loaded that makes each one. */
final class GateLoadProjection {

    /** Load factors look this far ahead: long enough to smooth noise, short enough to act on. */
    static final Duration HORIZON = Duration.ofMinutes(15);

    private GateLoadProjection() {
    }

    static List<GateShare> of(ForecastInput in, RemainingArrivals rest, Instant now) {
        List<GateRecentLoad> gates = in.gates();
        double recentTotal = gates.stream().mapToInt(GateRecentLoad::acceptedLastFiveMinutes).sum();
        double capacityTotal = in.totalGateCapacityPerMinute();
        double ratePerMinute = expectedRatePerMinute(in.event(), rest, now);
        return gates.stream().map(g -> {
            // People keep to the gates they have been using; with no recent traffic, bigger gates draw more.
            double share = recentTotal > 0
                    ? g.acceptedLastFiveMinutes() / recentTotal
                    : g.capacityPerMinute() / capacityTotal;
            double perMinute = share * ratePerMinute;
            return new GateShare(g.gateId(), share, share * rest.remaining(), perMinute,
                    perMinute / g.capacityPerMinute());
        }).toList();
    }

    /** All gates together, over the horizon (or what is left of the arrival span, if shorter). */
    static double expectedRatePerMinute(EventWindow event, RemainingArrivals rest, Instant now) {
        Instant from = now.isBefore(event.doorsOpen()) ? event.doorsOpen() : now;
        Instant to = from.plus(HORIZON);
        if (to.isAfter(event.end())) {
            to = event.end();
        }
        double minutes = Duration.between(from, to).toMillis() / 60_000.0;
        return minutes <= 0 ? 0 : rest.expectedBetween(from, to) / minutes;
    }
}
