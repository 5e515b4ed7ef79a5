package com.headcount.core.stats;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Alert episodes. A condition that becomes true while armed raises one alert and stays raised; it re-arms when the
 * condition is seen false. The states live in the overall item, written with the counts, so a retried batch that
 * finds the item already written decides nothing again.
 *
 * <ul>
 *   <li>{@code gate_overload}: an active gate's current load above the event's overload threshold (0.8);</li>
 *   <li>{@code low_attendance}: attendance rate below the event's low-attendance rate (30 %) once more than half the
 *       event's duration (start to end) has passed. Before that the condition is false.</li>
 * </ul>
 */
public final class AlertRules {

    private AlertRules() {}

    /** Updates {@code aggs.alertStates}, puts the raised alerts in the outbox and returns them. */
    public static List<Alert> evaluate(EventAggregates aggs, AttendanceEvent event, Collection<Gate> gates,
                                       long activeParticipants, Instant now) {
        List<Alert> raised = new ArrayList<>();
        for (Gate gate : gates) {
            if (!gate.active() || gate.capacityPerMinute() <= 0) continue;
            Aggregate g = aggs.gates.get(gate.gateId());
            long recent = g == null ? 0 : Figures.inMinutes(g, now, Figures.LOAD_MINUTES, 0);
            double load = Figures.load(recent, gate.capacityPerMinute());
            step(aggs, event, Alert.GATE_OVERLOAD, gate.gateId(), load > event.overloadThreshold(), load,
                    event.overloadThreshold(), now, String.format(Locale.ROOT,
                            "Gate %s at %.0f %% of capacity (%d scans in 5 min, capacity %d/min)",
                            gate.name(), load * 100, recent, gate.capacityPerMinute()), raised);
        }
        Instant halfway = event.start().plus(Duration.between(event.start(), event.end()).dividedBy(2));
        double rate = activeParticipants <= 0 ? 0 : aggs.overall.get("attended") / (double) activeParticipants;
        boolean low = activeParticipants > 0 && now.isAfter(halfway) && rate < event.lowAttendanceRate();
        step(aggs, event, Alert.LOW_ATTENDANCE, null, low, rate, event.lowAttendanceRate(), now,
                String.format(Locale.ROOT, "Attendance %.1f %% past half time (threshold %.0f %%)",
                        rate * 100, event.lowAttendanceRate() * 100), raised);
        return raised;
    }

    private static void step(EventAggregates aggs, AttendanceEvent event, String type, String gateId, boolean condition,
                             double value, double threshold, Instant now, String message, List<Alert> raised) {
        String key = Alert.conditionKey(type, gateId);
        AlertState state = aggs.alertStates.getOrDefault(key, AlertState.ARMED);
        if (condition && !state.raised()) {
            int episode = state.episodes() + 1;
            Alert alert = new Alert(Alert.idOf(event.eventId(), type, gateId, episode), type, event.eventId(), gateId,
                    episode, now, value, threshold, message);
            aggs.alertStates.put(key, new AlertState(true, episode));
            aggs.outbox.put(alert.id(), alert);
            aggs.overall.markChanged();
            raised.add(alert);
        } else if (!condition && state.raised()) {
            aggs.alertStates.put(key, new AlertState(false, state.episodes()));
            aggs.overall.markChanged();
        }
    }
}
