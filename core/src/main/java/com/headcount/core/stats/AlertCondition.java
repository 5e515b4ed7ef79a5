package com.headcount.core.stats;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * One kind of alert (gate_overload, low_attendance, ...): what it looks at and when it holds. {@link AlertRules} turns
 * checks into episodes (raise once, re-arm when clear), the same for every kind, on every batch and every clock tick.
 *
 * <p>A new kind fed by per-gate data (issue 10's gate_offline from heartbeats) is one more implementation: its data
 * is read with the event's other statistics items (one Query of the event's partition, see EventAggregates) and it
 * returns one check per gate; nothing else changes.
 */
public interface AlertCondition {

    /** The checks for one event at one moment: one per subject (a gate), or one for the whole event. */
    List<Check> checks(Context context);

    /**
     * @param gateId    the subject, or null for an event-wide condition
     * @param holds     whether the alert condition is true now
     * @param value     the measured figure, kept with a raised alert
     * @param threshold the per-event threshold it is compared with
     */
    record Check(String type, String gateId, boolean holds, double value, double threshold, String message) {}

    /**
     * What a condition may look at.
     *
     * @param now       the clock of the batch or the tick
     * @param eventNow  where the event's recent windows end ({@link Figures#eventNow})
     */
    record Context(AttendanceEvent event, Collection<Gate> gates, EventAggregates aggregates, long activeParticipants,
                   Instant now, Instant eventNow) {}
}
