package com.headcount.core.api;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.ReferenceData;

/** The organiser's set-up as the API writes it: events and gates, read back like every function reads them. */
public interface EventCatalog extends ReferenceData {

    void save(AttendanceEvent event);

    void save(Gate gate);
}
