package com.headcount.core.forecast;

/**
 * Expected final attendance in unique participants, with a range.
 *
 * @param remaining      participants still expected to arrive: {@code expected − attended so far}
 * @param observedWeight how much the observed pace counted against the prior (0 = prior only, towards 1 = observed)
 */
public record ExpectedAttendance(int expected, int low, int high, int remaining, double observedWeight) {

    public ExpectedAttendance {
        if (low > expected || expected > high || remaining < 0) {
            throw new IllegalArgumentException("need low ≤ expected ≤ high and remaining ≥ 0");
        }
    }
}
