package com.headcount.core.forecast;

import java.util.Objects;

/**
 * An active gate as the statistics see it: its capacity and the accepted scans of the last five minutes
 * (the same numbers as the gate's {@code currentLoad} in docs/STATISTICS.md, "The figures").
 */
public record GateRecentLoad(String gateId, double capacityPerMinute, int acceptedLastFiveMinutes) {

    public GateRecentLoad {
        Objects.requireNonNull(gateId, "gateId");
        if (!(capacityPerMinute > 0)) {
            throw new IllegalArgumentException("gate " + gateId + ": capacity per minute must be positive");
        }
        if (acceptedLastFiveMinutes < 0) {
            throw new IllegalArgumentException("gate " + gateId + ": recent arrivals cannot be negative");
        }
    }
}
