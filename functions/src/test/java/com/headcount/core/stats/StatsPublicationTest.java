package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Verdict;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.scan.Direction;
import com.headcount.testing.InMemoryStores;
import com.headcount.testing.MutableClock;
import com.headcount.testing.Scans;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When `stats.updated` goes out: at most once per interval, the last change of a burst at the end of its interval
 * (trailing), a failed publication given back and sent by the next batch; and what the counting path does with an
 * event it cannot find, and with a writer that keeps meeting another shard.
 */
class StatsPublicationTest {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Instant NOW = Scans.START.plus(Duration.ofHours(1));

    final InMemoryStatisticsStore store = new InMemoryStatisticsStore();
    final MutableClock clock = new MutableClock(NOW);
    /** What each publication carried: the accepted scans counted when it was read. */
    final List<Long> published = new ArrayList<>();
    final List<Duration> waits = new ArrayList<>();
    long sequence = 100;
    int failNextPublications;

    StatsUpdater updater(InMemoryStores.Reference reference, InMemoryStores.Reference consistent) {
        StatisticsView view = eventId -> Optional.of(Map.of("scans", store.counters().get(Aggregate.OVERALL).get("scans")));
        SnapshotPublisher publisher = (eventId, doc, at) -> {
            if (failNextPublications-- > 0) throw new IllegalStateException("injected: the stream refused");
            published.add((Long) doc.get("scans"));
        };
        return new StatsUpdater(reference, consistent, store, new AlertOutbox(store, List.of()),
                new Publication(view, publisher, INTERVAL, store), AlertRules.STANDARD, clock,
                d -> {
                    waits.add(d);
                    clock.advance(d);
                }, new Random(3));
    }

    StatsUpdater updater() {
        return updater(Scans.reference(), Scans.reference());
    }

    List<StreamedScan> scans(int n) {
        List<StreamedScan> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = clock.instant().minusSeconds(5);
            var scan = Scans.scan("s-" + sequence, "p-" + (sequence % 7), "north", at, Direction.ENTRY);
            out.add(new StreamedScan(new Occurrence("shardId-1", BigInteger.valueOf(++sequence)), new Outcome(null, scan,
                    scan.scanId(), scan.eventId(), scan.participantId(), "north", Verdict.ACCEPTED, null, null, null,
                    null, at.plusMillis(100), at.plusMillis(120))));
        }
        return out;
    }

    StatsUpdater.BatchResult apply(StatsUpdater updater, List<StreamedScan> batch, boolean drained) {
        return updater.apply("shardId-1", batch.getLast().occurrence().sequence(), batch, drained);
    }

    @Test
    void theLastChangeOfABurstIsPublishedAtTheEndOfItsInterval() {
        StatsUpdater updater = updater();
        apply(updater, scans(3), true);
        assertEquals(List.of(3L), published, "the first change goes out at once");

        clock.advance(Duration.ofMillis(300));
        var held = apply(updater, scans(2), true);
        assertEquals(1, held.trailingPublished(), "held back by the interval, then sent at its end");
        assertEquals(List.of(3L, 5L), published, "with the final figures");
        assertEquals(List.of(Duration.ofMillis(700)), waits, "waited only for the rest of the interval");
        assertEquals(NOW.plus(INTERVAL), store.lastPublished());
    }

    @Test
    void aBatchWithMoreBehindItLeavesTheTrailingPublicationToTheNextOne() {
        StatsUpdater updater = updater();
        apply(updater, scans(3), true);
        clock.advance(Duration.ofMillis(300));
        apply(updater, scans(2), false);
        assertEquals(List.of(3L), published, "a full batch does not wait: the next one is right behind it");
        assertTrue(waits.isEmpty());
        clock.advance(Duration.ofMillis(800));
        apply(updater, scans(1), false);
        assertEquals(List.of(3L, 6L), published, "the next batch past the interval carries both changes");
    }

    @Test
    void aFailedPublicationIsGivenBackAndSentByTheRetry() {
        StatsUpdater updater = updater();
        List<StreamedScan> batch = scans(4);
        failNextPublications = 1;
        assertThrows(IllegalStateException.class, () -> apply(updater, batch, true));
        assertEquals(null, store.lastPublished(), "the claim was given back");
        apply(updater, batch, true); // Lambda retries: nothing new to count, but the change is unpublished
        assertEquals(List.of(4L), published);
    }

    @Test
    void anEventTheCacheMissesIsReadAgainConsistentlyAndOneReallyGoneIsRecordedNotDropped() {
        var empty = new InMemoryStores.Reference();
        for (var e : Scans.reference().items.entrySet()) {
            if (!(e.getKey() instanceof ReferenceKey.OfEvent)) empty.put(e.getKey(), e.getValue());
        }
        var r = apply(updater(empty, Scans.reference()), scans(2), true);
        assertEquals(2, r.counted(), "found by the strongly consistent read");

        var gone = apply(updater(empty, empty), scans(3), true);
        assertEquals(0, gone.counted());
        assertEquals(3, gone.uncounted());
        assertEquals(3, store.uncounted.size(), "each scan recorded as uncounted");
        assertEquals(2L, store.counters().get(Aggregate.OVERALL).get("scans"));
    }

    @Test
    void aWriterThatMeetsAnotherShardBacksOffWithGrowingJitteredWaits() {
        var conflicting = new InMemoryStatisticsStore() {
            int conflicts = 3;

            @Override
            public boolean saveOverall(String eventId, EventAggregates aggs) {
                return conflicts-- <= 0 && super.saveOverall(eventId, aggs);
            }
        };
        var updater = new StatsUpdater(Scans.reference(), Scans.reference(), conflicting,
                new AlertOutbox(conflicting, List.of()), Publication.none(INTERVAL, conflicting), AlertRules.STANDARD,
                clock, waits::add, new Random(3));
        apply(updater, scans(2), false);
        assertEquals(3, waits.size(), "one wait per conflict");
        for (int i = 0; i < 3; i++) {
            Duration ceiling = StatsUpdater.CONFLICT_BACKOFF.ceiling(i + 2);
            assertTrue(waits.get(i).compareTo(ceiling.dividedBy(2)) >= 0 && waits.get(i).compareTo(ceiling) <= 0,
                    "wait " + i + " in [e/2, e]: " + waits);
        }
        assertEquals(2L, conflicting.counters().get(Aggregate.OVERALL).get("scans"));
    }
}
