package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.alerts.AlertOutbox;
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
 * When `stats.updated` goes out: after every batch, for every event of it, with the figures read after the batch's
 * write; a publication lost to anything that failed after the write is made by the retry, because nothing was claimed
 * that the retry could find; and what the counting path does with an event it cannot find, and with a writer that
 * keeps meeting another shard.
 */
class StatsPublicationTest {

    static final Instant NOW = Scans.START.plus(Duration.ofHours(1));

    final InMemoryStatisticsStore store = new InMemoryStatisticsStore();
    final MutableClock clock = new MutableClock(NOW);
    /** What each publication carried: the accepted scans counted when it was read. */
    final List<Long> published = new ArrayList<>();
    final List<Duration> waits = new ArrayList<>();
    long sequence = 100;
    int failNextPublications;

    StatsUpdater updater(InMemoryStores.Reference reference, InMemoryStores.Reference consistent, InMemoryStatisticsStore store) {
        StatisticsView view = eventId -> Optional.of(Map.of("scans", store.counters().get(Aggregate.OVERALL).get("scans")));
        SnapshotPublisher publisher = (eventId, doc, at) -> {
            if (failNextPublications-- > 0) throw new IllegalStateException("injected: the stream refused");
            published.add((Long) doc.get("scans"));
        };
        return new StatsUpdater(reference, consistent, store, new AlertOutbox(store, List.of()),
                new Publication(view, publisher), AlertRules.STANDARD, clock,
                d -> {
                    waits.add(d);
                    clock.advance(d);
                }, new Random(3));
    }

    StatsUpdater updater(InMemoryStores.Reference reference, InMemoryStores.Reference consistent) {
        return updater(reference, consistent, store);
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

    StatsUpdater.BatchResult apply(StatsUpdater updater, List<StreamedScan> batch) {
        return updater.apply("shardId-1", batch.getLast().occurrence().sequence(), batch);
    }

    @Test
    void everyBatchPublishesItsFinalFiguresAtOnceWhateverItsSize() {
        StatsUpdater updater = updater();
        apply(updater, scans(3));
        clock.advance(Duration.ofMillis(300));
        apply(updater, scans(2));
        assertEquals(List.of(3L, 5L), published, "each batch's own figures, the last one the final figures");
        assertTrue(waits.isEmpty(), "no batch waits for an interval to end");
    }

    @Test
    void aFailedPublicationIsMadeByTheRetryOfItsBatch() {
        StatsUpdater updater = updater();
        List<StreamedScan> batch = scans(4);
        failNextPublications = 1;
        assertThrows(IllegalStateException.class, () -> apply(updater, batch));
        apply(updater, batch); // Lambda retries: nothing new to count, and still published
        assertEquals(List.of(4L), published);
        assertEquals(4L, store.counters().get(Aggregate.OVERALL).get("scans"), "counted once");
    }

    @Test
    void anOverallWriteThatCommittedButWasToldItFailedStillEndsInAPublication() {
        // the SDK retried a PutItem that had committed: the retry fails the version check the first one moved
        var committedButRefused = new InMemoryStatisticsStore() {
            boolean once = true;

            @Override
            public boolean saveOverall(String eventId, EventAggregates aggs) {
                boolean saved = super.saveOverall(eventId, aggs);
                if (saved && once) {
                    once = false;
                    return false;
                }
                return saved;
            }
        };
        apply(updater(Scans.reference(), Scans.reference(), committedButRefused), scans(3));
        assertEquals(List.of(3L), published, "the redo found nothing left to write and published anyway");
        assertEquals(3L, committedButRefused.counters().get(Aggregate.OVERALL).get("scans"));
    }

    @Test
    void anEventTheCacheMissesIsReadAgainConsistentlyAndOneReallyGoneIsRecordedNotDropped() {
        var empty = new InMemoryStores.Reference();
        for (var e : Scans.reference().items.entrySet()) {
            if (!(e.getKey() instanceof ReferenceKey.OfEvent)) empty.put(e.getKey(), e.getValue());
        }
        var r = apply(updater(empty, Scans.reference()), scans(2));
        assertEquals(2, r.counted(), "found by the strongly consistent read");

        var gone = apply(updater(empty, empty), scans(3));
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
                new AlertOutbox(conflicting, List.of()), Publication.none(), AlertRules.STANDARD,
                clock, waits::add, new Random(3));
        apply(updater, scans(2));
        assertEquals(3, waits.size(), "one wait per conflict");
        for (int i = 0; i < 3; i++) {
            Duration ceiling = StatsUpdater.CONFLICT_BACKOFF.ceiling(i + 2);
            assertTrue(waits.get(i).compareTo(ceiling.dividedBy(2)) >= 0 && waits.get(i).compareTo(ceiling) <= 0,
                    "wait " + i + " in [e/2, e]: " + waits);
        }
        assertEquals(2L, conflicting.counters().get(Aggregate.OVERALL).get("scans"));
    }
}
