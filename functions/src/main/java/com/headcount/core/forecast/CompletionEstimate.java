package com.headcount.core.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When everyone still expected will be in: remaining ÷ the lower of gate capacity and arrival rate. */
final class CompletionEstimate {

    /** The current arrival rate is measured over this window, like the statistics' trend. */
    static final Duration RECENT = Duration.ofMinutes(15);

    private CompletionEstimate() {
    }

    static Optional<Completion> of(ForecastInput in, RemainingArrivals rest, Instant now) {
        if (rest.remaining() == 0) {
            return Optional.empty();
        }
        double capacity = in.totalGateCapacityPerMinute();
        double arrivalRate = currentArrivalRate(in, now);
        if (arrivalRate <= 0) {
            // Nobody arrived lately (doors just opened, or a lull): a zero rate would say "never",
            // so fall back to the pace the profile expects next.
            arrivalRate = GateLoadProjection.expectedRatePerMinute(in.event(), rest, now);
        }
        Completion.LimitedBy limitedBy = capacity <= arrivalRate
                ? Completion.LimitedBy.GATE_CAPACITY
                : Completion.LimitedBy.ARRIVAL_RATE;
        double rate = Math.min(capacity, arrivalRate);
        if (rate <= 0) {
            return Optional.empty();
        }
        long seconds = (long) Math.ceil(rest.remaining() / rate * 60);
        Instant from = now.isBefore(in.event().doorsOpen()) ? in.event().doorsOpen() : now;
        return Optional.of(new Completion(from.plusSeconds(seconds), rate, limitedBy));
    }

    /** Accepted arrivals per minute over the last 15 minutes of the curve (less, if the doors opened later). */
    static double currentArrivalRate(ForecastInput in, Instant now) {
        ArrivalCurve curve = in.arrivals();
        Instant doorsOpen = in.event().doorsOpen();
        Instant since = now.minus(RECENT);
        long count = 0;
        Instant first = null;
        for (int i = 0; i < curve.counts().size(); i++) {
            Instant start = curve.bucketStart(doorsOpen, i);
            if (!start.isBefore(now)) {
                break;
            }
            if (!start.isBefore(since)) {
                count += curve.counts().get(i);
                if (first == null) {
                    first = start;
                }
            }
        }
        if (first == null) {
            return 0;
        }
        double minutes = Duration.between(first, now).toMillis() / 60_000.0;
        return minutes <= 0 ? 0 : count / minutes;
    }
}
