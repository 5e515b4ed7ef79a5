package com.headcount.core.stats;

import java.time.Instant;
import java.util.Map;

/** Sends an event's statistics snapshot to the dashboards (`stats.updated` on `statistics-updates`). */
public interface SnapshotPublisher {

    /**
     * @param publishedAt the publication's claimed time: increases from one publication of an event to the next, so a
     *                    consumer that receives two out of order keeps the later one
     */
    void publish(String eventId, Map<String, Object> snapshot, Instant publishedAt);

    SnapshotPublisher NONE = (eventId, snapshot, publishedAt) -> {};
}
