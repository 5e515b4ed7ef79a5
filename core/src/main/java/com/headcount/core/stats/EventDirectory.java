package com.headcount.core.stats;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Instant;
import java.util.List;

/** Where the clock finds the events whose statistics still move, and their gates. */
public interface EventDirectory {

    /**
     * The events with {@link StatsClock#runsFrom} ≤ now ≤ {@link StatsClock#runsUntil}: one read for all of them,
     * nothing per ended event.
     */
    List<AttendanceEvent> running(Instant now);

    /** Every gate of the event, active or not. */
    List<Gate> gates(String eventId);
}
