package com.headcount.core.forecast;

import java.time.Duration;
import java.time.Instant;

/**
 * The shape of the arrivals still to come, read from the arrivals so far (the default profile). With c₁ the arrivals of
 * the last {@value #WINDOW_MINUTES} minutes, c₂ those of the {@value #WINDOW_MINUTES} before, z = (c₁ − c₂) ÷ √(c₁ + c₂ + 1):
 * <ul>
 *   <li>the last window's rate under half the average since doors open: the crowd has come. If the fall is clear
 *       (z &lt; −2) the rate keeps falling at the same pace, {@code r(t) = r₁ · e^{λ(t − now)}},
 *       {@code λ = ln((c₁+1)/(c₂+1)) / window}; otherwise the last hour's rate holds;</li>
 *   <li>a clear rise (z &gt; 2) to over twice the average: the last window's rate holds (a rise is not
 *       extrapolated: a surge ends);</li>
 *   <li>otherwise the event is steady: the average rate since doors open holds, the least noisy estimate.</li>
 * </ul>
 * The curve counts participants arriving (their first accepted entry), so rates are participants per minute. The projection
 * gives the still-to-come {@code R} and so the share arrived, {@code s = attended ÷ (attended + R)}, which the
 * estimate blends with the prior like a profile's share (docs/FORECASTS.md, "Formulas"). Before two windows have
 * passed, the rate since doors open is projected flat.
 */
final class ObservedTrend implements RemainingArrivals.Shape {

    static final int WINDOW_MINUTES = 30;
    static final double SIGNIFICANT = 2;
    /**
     * A fall counts only below this share of the average rate since doors open, a rise only above its inverse: a
     * swell is neither a tail nor a surge.
     */
    static final double FALLEN = 0.5;

    private final Instant now;
    private final Instant end;
    /** Participants per minute now, and the rate's change per minute (0: flat, negative: falling). */
    private final double rate;
    private final double lambda;

    private ObservedTrend(Instant now, Instant end, double rate, double lambda) {
        this.now = now;
        this.end = end;
        this.rate = rate;
        this.lambda = lambda;
    }

    static ObservedTrend of(ForecastInput in, Instant now) {
        EventWindow event = in.event();
        Instant from = now.isBefore(event.doorsOpen()) ? event.doorsOpen() : now;
        long arrived = 0;
        for (int c : in.arrivals().counts()) arrived += c;
        Duration window = Duration.ofMinutes(WINDOW_MINUTES);
        double sinceDoors = RemainingArrivals.minutes(event.doorsOpen(), from);
        if (sinceDoors < 2 * WINDOW_MINUTES) {
            double rate = sinceDoors <= 0 ? 0 : in.attendedSoFar() / sinceDoors;
            return new ObservedTrend(from, event.end(), rate, 0);
        }
        double c1 = entriesBetween(in, from.minus(window), from);
        double c2 = entriesBetween(in, from.minus(window.multipliedBy(2)), from.minus(window));
        double z = (c1 - c2) / Math.sqrt(c1 + c2 + 1);
        double average = arrived / sinceDoors;
        if (c1 / WINDOW_MINUTES < FALLEN * average) {
            // the crowd has come: what the last hour brought, falling further if the fall is clear
            if (z < -SIGNIFICANT) {
                return new ObservedTrend(from, event.end(), c1 / WINDOW_MINUTES,
                        Math.log((c1 + 1) / (c2 + 1)) / WINDOW_MINUTES);
            }
            return new ObservedTrend(from, event.end(), (c1 + c2) / (2.0 * WINDOW_MINUTES), 0);
        }
        if (z > SIGNIFICANT && c1 / WINDOW_MINUTES > average / FALLEN) {
            return new ObservedTrend(from, event.end(), c1 / WINDOW_MINUTES, 0);
        }
        return new ObservedTrend(from, event.end(), in.attendedSoFar() / sinceDoors, 0);
    }

    /** Arrivals in [a, b), buckets counted in proportion to their overlap (the curve's last bucket is still filling). */
    static double entriesBetween(ForecastInput in, Instant a, Instant b) {
        ArrivalCurve curve = in.arrivals();
        Instant doors = in.event().doorsOpen();
        double sum = 0;
        for (int i = 0; i < curve.counts().size(); i++) {
            Instant s = curve.bucketStart(doors, i);
            Instant e = s.plus(curve.bucket());
            if (i == curve.counts().size() - 1 && b.isBefore(e) && !b.isBefore(s)) e = b; // filled up to now only
            Instant lo = s.isAfter(a) ? s : a;
            Instant hi = e.isBefore(b) ? e : b;
            if (hi.isAfter(lo)) {
                sum += curve.counts().get(i) * RemainingArrivals.minutes(lo, hi) / RemainingArrivals.minutes(s, e);
            }
        }
        return sum;
    }

    /** Participants the projection expects from now to the end. */
    double stillToCome() {
        return integral(now, end);
    }

    /** The share arrived by now, as the projection sees it. */
    double shareArrived(int attended) {
        double total = attended + stillToCome();
        return total <= 0 ? 0 : attended / total;
    }

    @Override
    public double shareBetween(Instant a, Instant b) {
        double all = integral(now, end);
        if (all <= 0) {
            // nothing projected, yet someone may still come (the prior says so): spread evenly
            double span = RemainingArrivals.minutes(now, end);
            return span <= 0 ? 0 : RemainingArrivals.minutes(a, b) / span;
        }
        return integral(a, b) / all;
    }

    private double integral(Instant a, Instant b) {
        Instant from = a.isBefore(now) ? now : a;
        Instant to = b.isAfter(end) ? end : b;
        if (!to.isAfter(from)) return 0;
        double x = RemainingArrivals.minutes(now, from), y = RemainingArrivals.minutes(now, to);
        if (lambda == 0) return rate * (y - x);
        return rate * (Math.exp(lambda * y) - Math.exp(lambda * x)) / lambda;
    }
}
