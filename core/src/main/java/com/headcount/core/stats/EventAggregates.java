package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate items of one event as read for a batch: overall, gates, the hours the batch touches. The overall item
 * also holds the alert states and the outbox of raised alerts not yet confirmed delivered, so an episode's alert is
 * decided in the same conditional write as the counts that caused it.
 */
public final class EventAggregates {

    public final Aggregate overall;
    public final Map<String, Aggregate> gates;
    public final Map<String, Aggregate> hours;
    public final Map<String, AlertState> alertStates;
    public final Map<String, Alert> outbox;
    /** The gates' last heartbeats by gate, when read with the whole partition (the clock's read); empty otherwise. */
    public Map<String, GateHeartbeat> heartbeats = Map.of();
    /** The event's active-participant counter as read with the aggregates; null when it has none yet. */
    public Long activeParticipants;

    public EventAggregates(Aggregate overall, Map<String, Aggregate> gates, Map<String, Aggregate> hours,
                           Map<String, AlertState> alertStates, Map<String, Alert> outbox) {
        this.overall = overall;
        this.gates = new TreeMap<>(gates);
        this.hours = new TreeMap<>(hours);
        this.alertStates = new TreeMap<>(alertStates);
        this.outbox = new LinkedHashMap<>(outbox);
    }

    public static EventAggregates empty() {
        return new EventAggregates(Aggregate.empty(Aggregate.OVERALL), Map.of(), Map.of(), Map.of(), Map.of());
    }

    public Aggregate gate(String gateId) {
        return gates.computeIfAbsent(gateId, g -> Aggregate.empty(Aggregate.gateKey(g)));
    }

    public Aggregate hour(String hourKey) {
        return hours.computeIfAbsent(hourKey, Aggregate::empty);
    }
}
