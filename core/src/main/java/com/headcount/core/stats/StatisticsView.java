package com.headcount.core.stats;

import java.util.Map;
import java.util.Optional;

/**
 * The one read path of an event's live statistics, shared by the HTTP API and the dashboard broadcaster.
 *
 * <p>The snapshot is a JSON-ready document with these sections (docs/STATISTICS.md, "The figures"):
 * {@code eventId}, {@code overall} (object), {@code gates} (object keyed by gate id), {@code hourly} (list of
 * buckets in the event's time zone), {@code predictive} (object), {@code alerts} (list, newest first),
 * {@code lastUpdated} (ISO instant).
 */
public interface StatisticsView {

    /** Empty when the event has no statistics yet. */
    Optional<Map<String, Object>> snapshot(String eventId);
}
