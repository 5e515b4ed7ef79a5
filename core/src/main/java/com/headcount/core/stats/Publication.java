package com.headcount.core.stats;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * `stats.updated`: the event's snapshot, read after the publisher's own write, put on `statistics-updates`.
 *
 * <p>It claims nothing and records nothing: whoever changed the statistics publishes, and whoever failed to publish
 * fails as a whole and is run again (a batch is retried by Lambda, the clock's next tick publishes every running
 * event). So no publication can be claimed and then lost. Two publishers of one event may put their snapshots in the
 * other order than they read them; the snapshot's {@code version} (the overall item's count of writes that changed
 * the counts) tells a consumer which is newer, and the clock publishes every running event once a minute anyway.
 */
public final class Publication {

    private final StatisticsView view;
    private final SnapshotPublisher publisher;

    public Publication(StatisticsView view, SnapshotPublisher publisher) {
        this.view = view;
        this.publisher = publisher;
    }

    public static Publication none() {
        return new Publication(eventId -> Optional.empty(), SnapshotPublisher.NONE);
    }

    /**
     * Reads the event's snapshot now and publishes it.
     * @return false when the event has no statistics
     */
    public boolean publish(String eventId, Instant at) {
        Optional<Map<String, Object>> snapshot = view.snapshot(eventId);
        snapshot.ifPresent(doc -> publisher.publish(eventId, doc, at));
        return snapshot.isPresent();
    }

    /** Publishes a snapshot the caller built from what it just read and wrote. */
    public void publish(String eventId, Map<String, Object> snapshot, Instant at) {
        publisher.publish(eventId, snapshot, at);
    }
}
