package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertState;
import com.headcount.core.decision.EdgeMismatch;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alert episodes. A condition that becomes true while armed raises one alert and stays raised; it re-arms when the
 * condition is seen false. The states live in the overall item, written with the counts (or by the clock, with the
 * same version condition), so a retried batch or tick that finds the item already written decides nothing again.
 *
 * <ul>
 *   <li>{@code gate_overload}: an active gate's current load above the event's overload threshold (0.8);</li>
 *   <li>{@code low_attendance}: attendance rate below the event's low-attendance rate (30 %) once more than half the
 *       event's duration (start to end) has passed. Before that the condition is false;</li>
 *   <li>{@code gate_offline}: see {@link #GATE_OFFLINE};</li>
 *   <li>{@code edge_mismatch}: see {@link #EDGE_MISMATCH}.</li>
 * </ul>
 */
public final class AlertRules {

    public static final AlertCondition GATE_OVERLOAD = context -> {
        List<AlertCondition.Check> checks = new ArrayList<>();
        AttendanceEvent event = context.event();
        for (Gate gate : context.gates()) {
            if (!gate.active() || gate.capacityPerMinute() <= 0) continue;
            Aggregate g = context.aggregates().gates.get(gate.gateId());
            long recent = g == null ? 0 : Figures.inMinutes(g, context.eventNow(), Figures.LOAD_MINUTES, 0);
            double load = Figures.load(recent, gate.capacityPerMinute());
            checks.add(new AlertCondition.Check(Alert.GATE_OVERLOAD, gate.gateId(), load > event.overloadThreshold(),
                    load, event.overloadThreshold(), String.format(Locale.ROOT,
                    "Gate %s at %.0f %% of capacity (%d scans in 5 min, capacity %d/min)",
                    gate.name(), load * 100, recent, gate.capacityPerMinute())));
        }
        return checks;
    };

    public static final AlertCondition LOW_ATTENDANCE = context -> {
        AttendanceEvent event = context.event();
        long active = context.activeParticipants();
        Instant halfway = event.start().plus(Duration.between(event.start(), event.end()).dividedBy(2));
        double rate = active <= 0 ? 0 : context.aggregates().overall.get("attended") / (double) active;
        boolean low = active > 0 && context.now().isAfter(halfway) && rate < event.lowAttendanceRate();
        return List.of(new AlertCondition.Check(Alert.LOW_ATTENDANCE, null, low, rate, event.lowAttendanceRate(),
                String.format(Locale.ROOT, "Attendance %.1f %% past half time (threshold %.0f %%)",
                        rate * 100, event.lowAttendanceRate() * 100)));
    };

    /**
     * {@code gate_offline}: a gate heard from before and silent for {@link GateHealth#SILENCE} while the event takes
     * scans. Its heartbeats are read with the whole partition, which only the clock reads; a batch has none and
     * leaves these states as they are, so the clock raises and clears them.
     */
    public static final AlertCondition GATE_OFFLINE = context -> GateHealth.offline(context.event(), context.gates(),
                    context.aggregates().heartbeats, context.now(), GateHealth.SILENCE).stream()
            .map(c -> new AlertCondition.Check(GateHealth.GATE_OFFLINE, c.gateId(), c.holds(), c.silentSeconds(),
                    c.thresholdSeconds(), c.message()))
            .toList();

    /**
     * {@code edge_mismatch}: a gate's edge mismatches (both kinds) decided in the last
     * {@value EdgeMismatches#WINDOW_MINUTES} minutes of the wall clock reach the event's
     * {@code edgeMismatchAlertThreshold}. Every gate that has any is checked, active or not: a gate deactivated
     * mid-event that still lets people in is the case to see first. A batch raises it with the counts that cause it;
     * the clock clears it once the window has slid past them.
     */
    public static final AlertCondition EDGE_MISMATCH = context -> {
        List<AlertCondition.Check> checks = new ArrayList<>();
        int threshold = context.event().edgeMismatchAlertThreshold();
        Map<String, String> names = new TreeMap<>();
        for (Gate gate : context.gates()) names.put(gate.gateId(), gate.name());
        context.aggregates().gates.forEach((gateId, g) -> {
            if (g.group(EdgeMismatches.COUNTER).isEmpty()) return;
            long refusedLetIn = EdgeMismatches.recent(g, EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED, context.now());
            long acceptedKeptOut = EdgeMismatches.recent(g, EdgeMismatch.CLOUD_ACCEPTED_GATE_REFUSED, context.now());
            long recent = refusedLetIn + acceptedKeptOut;
            checks.add(new AlertCondition.Check(Alert.EDGE_MISMATCH, gateId, recent >= threshold, recent, threshold,
                    String.format(Locale.ROOT, "Gate %s: %d edge mismatches in %d min (%d let in by the gate and "
                                    + "refused by the cloud, %d refused by the gate and accepted by the cloud; alert at %d)",
                            names.getOrDefault(gateId, gateId), recent, EdgeMismatches.WINDOW_MINUTES, refusedLetIn,
                            acceptedKeptOut, threshold)));
        });
        return checks;
    };

    public static final List<AlertCondition> STANDARD = List.of(GATE_OVERLOAD, LOW_ATTENDANCE, GATE_OFFLINE,
            EDGE_MISMATCH);

    private AlertRules() {}

    /** The standard conditions at {@code now}; see {@link #evaluate(List, AlertCondition.Context)}. */
    public static List<Alert> evaluate(EventAggregates aggs, AttendanceEvent event, Collection<Gate> gates,
                                       long activeParticipants, Instant now) {
        return evaluate(STANDARD, new AlertCondition.Context(event, gates, aggs, activeParticipants, now,
                Figures.eventNow(aggs.overall, now)));
    }

    /**
     * Updates the aggregates' alert states, puts the raised alerts in the outbox (both written with the overall
     * item) and returns them. A state that changed marks the overall item changed.
     */
    public static List<Alert> evaluate(List<AlertCondition> conditions, AlertCondition.Context context) {
        List<Alert> raised = new ArrayList<>();
        for (AlertCondition condition : conditions) {
            for (AlertCondition.Check check : condition.checks(context)) step(context, check, raised);
        }
        return raised;
    }

    private static void step(AlertCondition.Context context, AlertCondition.Check check, List<Alert> raised) {
        EventAggregates aggs = context.aggregates();
        String key = Alert.conditionKey(check.type(), check.gateId());
        AlertState state = aggs.alertStates.getOrDefault(key, AlertState.ARMED);
        if (check.holds() && !state.raised()) {
            int episode = state.episodes() + 1;
            String eventId = context.event().eventId();
            Alert alert = new Alert(Alert.idOf(eventId, check.type(), check.gateId(), episode), check.type(), eventId,
                    check.gateId(), episode, context.now(), check.value(), check.threshold(), check.message());
            aggs.alertStates.put(key, new AlertState(true, episode));
            aggs.outbox.put(alert.id(), alert);
            aggs.overall.markChanged();
            raised.add(alert);
        } else if (!check.holds() && state.raised()) {
            aggs.alertStates.put(key, new AlertState(false, state.episodes()));
            aggs.overall.markChanged();
        }
    }
}
