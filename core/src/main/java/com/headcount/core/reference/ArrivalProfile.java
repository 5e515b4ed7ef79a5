package com.headcount.core.reference;

import java.util.Arrays;

/**
 * The reference shape of arrivals: the share of all of an event's arrivals expected by each point of its
 * arrival span (doors open to end), as a piecewise-linear cumulative curve through equally spaced points.
 * {@link #uniform()} is a straight line: arrivals spread evenly. {@link #observed()} (the default) has no curve:
 * the shape is read from the arrivals so far (the forecast's observed trend, docs/FORECASTS.md).
 */
public final class ArrivalProfile {

    private static final ArrivalProfile UNIFORM = new ArrivalProfile(new double[] {0, 1});
    private static final ArrivalProfile OBSERVED = new ArrivalProfile(null);

    private final double[] cumulative;

    private ArrivalProfile(double[] cumulative) {
        this.cumulative = cumulative;
    }

    public static ArrivalProfile uniform() {
        return UNIFORM;
    }

    /** No assumed shape: the recent arrivals and their trend say how many are still to come. */
    public static ArrivalProfile observed() {
        return OBSERVED;
    }

    public boolean isObserved() {
        return cumulative == null;
    }

    /** The cumulative shares through equally spaced points; empty for {@link #observed()}. */
    public double[] cumulativeShares() {
        return cumulative == null ? new double[0] : cumulative.clone();
    }

    /**
     * @param cumulativeShares share of arrivals expected by 0, 1/n, 2/n, ... 1 of the arrival span;
     *                         starts at 0, ends at 1, never decreases
     */
    public static ArrivalProfile of(double... cumulativeShares) {
        double[] c = cumulativeShares.clone();
        if (c.length < 2 || c[0] != 0 || c[c.length - 1] != 1) {
            throw new IllegalArgumentException("a profile runs from 0 to 1 through at least two points");
        }
        for (int i = 1; i < c.length; i++) {
            if (c[i] < c[i - 1]) {
                throw new IllegalArgumentException("a cumulative profile never decreases");
            }
        }
        return new ArrivalProfile(c);
    }

    /** Share of all arrivals expected by {@code fraction} (0..1) of the arrival span. */
    public double shareBy(double fraction) {
        if (cumulative == null) throw new IllegalStateException("an observed profile has no fixed shares");
        double x = Math.max(0, Math.min(1, fraction)) * (cumulative.length - 1);
        int i = Math.min((int) x, cumulative.length - 2);
        return cumulative[i] + (x - i) * (cumulative[i + 1] - cumulative[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrivalProfile p && Arrays.equals(cumulative, p.cumulative);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cumulative);
    }

    @Override
    public String toString() {
        return cumulative == null ? "ArrivalProfile[observed]" : "ArrivalProfile" + Arrays.toString(cumulative);
    }
}
