package com.headcount.core.forecast;

import com.headcount.core.reference.ForecastSettings;
import java.util.List;
import java.util.Objects;

/**
 * Everything a forecast is computed from; the time it is computed at is passed separately.
 *
 * @param activeParticipants participants who may attend
 * @param attendedSoFar      unique participants with at least one accepted entry
 * @param arrivals           arrivals (first accepted entries) since doors opened
 * @param gates              the active gates, with capacity and recent load
 */
public record ForecastInput(
        EventWindow event,
        int activeParticipants,
        int attendedSoFar,
        ArrivalCurve arrivals,
        List<GateRecentLoad> gates,
        ForecastSettings settings) {

    public ForecastInput {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(arrivals, "arrivals");
        Objects.requireNonNull(settings, "settings");
        gates = List.copyOf(gates);
        if (activeParticipants < 0 || attendedSoFar < 0) {
            throw new IllegalArgumentException("participant counts cannot be negative");
        }
    }

    /** Sum of the capacities of the active gates. */
    public double totalGateCapacityPerMinute() {
        return gates.stream().mapToDouble(GateRecentLoad::capacityPerMinute).sum();
    }
}
