package com.headcount.core.stats;

import java.util.Map;

/** Sends an event's statistics snapshot to the dashboards (`stats.updated` on `statistics-updates`). */
public interface SnapshotPublisher {

    void publish(String eventId, Map<String, Object> snapshot);

    SnapshotPublisher NONE = (eventId, snapshot) -> {};
}
