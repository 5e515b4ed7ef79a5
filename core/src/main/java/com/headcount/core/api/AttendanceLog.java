package com.headcount.core.api;

import com.headcount.core.decision.Outcome;
import java.util.List;
import java.util.Map;

/** The stored outcomes of an event, by participant or by gate, in time order, a page at a time. */
public interface AttendanceLog {

    record Page(List<Outcome> records, Map<String, String> lastKey) {}

    Page query(AttendanceQuery q);
}
