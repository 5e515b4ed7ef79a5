package com.headcount.core.forecast;

/**
 * One gate's part of the arrivals still expected.
 *
 * @param shareOfRemaining    the gate's share of the remaining arrivals (its share of recent load)
 * @param expectedArrivals    remaining arrivals expected at this gate
 * @param expectedPerMinute   arrivals per minute expected at this gate over the next minutes
 * @param projectedLoadFactor {@code expectedPerMinute ÷ capacityPerMinute}; above 1 a queue grows
 */
public record GateShare(
        String gateId,
        double shareOfRemaining,
        double expectedArrivals,
        double expectedPerMinute,
        double projectedLoadFactor) {
}
