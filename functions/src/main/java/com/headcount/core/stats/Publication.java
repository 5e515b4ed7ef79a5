package com.headcount.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * `stats.updated`: at most one per event per interval, from the one read path. Whoever publishes first records the
 * time in the overall item (a claim: in its conditional write, or {@link StatisticsStore#claimPublication}), so
 * shards and the clock never publish the same interval twice, with the overall item's {@code changes} counter as it
 * stood. A publication that fails gives its claim back, so the change it carried still counts as unpublished and the
 * next batch or tick sends it.
 */
public final class Publication {

    private final StatisticsView view;
    private final SnapshotPublisher publisher;
    private final Duration interval;
    private final StatisticsStore store;

    public Publication(StatisticsView view, SnapshotPublisher publisher, Duration interval, StatisticsStore store) {
        this.view = view;
        this.publisher = publisher;
        this.interval = interval;
        this.store = store;
    }

    public static Publication none(Duration interval, StatisticsStore store) {
        return new Publication(eventId -> Optional.empty(), SnapshotPublisher.NONE, interval, store);
    }

    public Duration interval() {
        return interval;
    }

    /** Whether an interval has passed since {@code lastPublished} (always, when nothing was published yet). */
    public boolean due(Instant lastPublished, Instant now) {
        return lastPublished == null || !now.isBefore(lastPublished.plus(interval));
    }

    /** When the next publication may go out. */
    public Instant nextAfter(Instant lastPublished) {
        return lastPublished.plus(interval);
    }

    /**
     * Whether the counts changed after the last publication claimed (one held back, or one that failed and was given
     * back). Counted, not timed, so it holds whatever the clocks say.
     */
    public static boolean unpublished(EventAggregates aggs) {
        return aggs.overall.get(StatisticsSnapshot.CHANGES) > aggs.publishedChanges;
    }

    /**
     * Publishes the event's snapshot as read now, under a claim made at {@code claimedAt} over {@code seen}.
     * @return false when the event has no statistics
     */
    public boolean publishClaimed(String eventId, Instant claimedAt, Instant seen) {
        Optional<Map<String, Object>> snapshot = guarded(eventId, claimedAt, seen, () -> view.snapshot(eventId));
        snapshot.ifPresent(doc -> publishClaimed(eventId, claimedAt, seen, doc));
        return snapshot.isPresent();
    }

    /** Publishes a snapshot the caller built from what it just read and wrote, under its claim. */
    public void publishClaimed(String eventId, Instant claimedAt, Instant seen, Map<String, Object> snapshot) {
        guarded(eventId, claimedAt, seen, () -> {
            publisher.publish(eventId, snapshot, claimedAt);
            return null;
        });
    }

    /**
     * Claims the interval after {@code seen} and publishes; false when someone published meanwhile.
     * @param changes the changes counter the caller wrote (what the publication carries at least)
     */
    public boolean claimAndPublish(String eventId, Instant seen, Instant at, long changes) {
        return store.claimPublication(eventId, seen, at, changes) && publishClaimed(eventId, at, seen);
    }

    private <T> T guarded(String eventId, Instant claimedAt, Instant seen, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            try {
                store.unclaimPublication(eventId, claimedAt, seen);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }
}
