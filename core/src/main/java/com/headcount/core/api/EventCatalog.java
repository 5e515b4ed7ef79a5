package com.headcount.core.api;

import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.ReferenceData;

/** The organiser's set-up as the API writes it: events and gates, read back like every function reads them. */
public interface EventCatalog extends ReferenceData {

    void save(AttendanceEvent event);

    /** The event with its edge policy (what its gates do with a stale allow-list), written as one item. */
    default void save(AttendanceEvent event, EdgePolicy edge) {
        save(event);
    }

    /** The event's edge policy; the defaults when it set none. */
    default EdgePolicy edgePolicy(String eventId) {
        return EdgePolicy.defaults();
    }

    void save(Gate gate);
}
