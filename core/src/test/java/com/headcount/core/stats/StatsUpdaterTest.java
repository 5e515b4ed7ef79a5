package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.decision.EdgeMismatch;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Provisional;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.Verdict;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.testing.Scans;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once argument, exhaustively on a small shard: a crash before or after every single write of a run,
 * followed by Lambda's recovery (the failed batch bisected, then resumed from its first record), ends with exactly the
 * counters of a run without failures. The stream holds duplicate publications and out-of-order scan times.
 */
class StatsUpdaterTest {

    static final String SHARD = "shardId-000000000001";
    static final Instant NOW = Scans.START.plus(Duration.ofHours(2));

    /** 60 records on one shard: participants p-0 … p-11, entries and exits, a few published twice. */
    static List<StreamedScan> stream() {
        return shard(60, 5, 6, new Random(5), (i, random) -> Scans.scan("s-" + i, "p-" + random.nextInt(12),
                random.nextBoolean() ? "north" : "south", NOW.minus(Duration.ofMinutes(random.nextInt(150))),
                random.nextInt(3) == 0 ? Direction.EXIT : Direction.ENTRY));
    }

    /**
     * {@code n} records of one shard in sequence order: after the first {@code repeatsAfter}, one in {@code oneIn}
     * publishes an earlier accepted scan again (another occurrence), the others a new one made by {@code scanAt}.
     */
    static List<StreamedScan> shard(int n, int repeatsAfter, int oneIn, Random random, BiFunction<Integer, Random, Scan> scanAt) {
        List<StreamedScan> records = new ArrayList<>();
        List<Outcome> published = new ArrayList<>();
        long seq = 100;
        for (int i = 0; i < n; i++) {
            Outcome o;
            if (i > repeatsAfter && random.nextInt(oneIn) == 0) {
                o = published.get(random.nextInt(published.size()));
            } else {
                Scan scan = scanAt.apply(i, random);
                Instant at = scan.scannedAt();
                o = new Outcome(null, scan, scan.scanId(), scan.eventId(), scan.participantId(), scan.gateId(),
                        Verdict.ACCEPTED, null, null, null, null, at.plusMillis(200), at.plusMillis(210));
                published.add(o);
            }
            seq += 1 + random.nextInt(3);
            records.add(new StreamedScan(new Occurrence(SHARD, BigInteger.valueOf(seq)), o));
        }
        return records;
    }

    static StatsUpdater updater(InMemoryStatisticsStore store) {
        return new StatsUpdater(Scans.reference(), Scans.reference(), store, new AlertOutbox(store, List.of()),
                Publication.none(), AlertRules.STANDARD, Clock.fixed(NOW, ZoneOffset.UTC),
                d -> {}, new Random(1));
    }

    /** Lambda's loop over one shard: batches of {@code size}; a failed batch is bisected, then retried whole. */
    static void runShard(StatsUpdater updater, List<StreamedScan> records, int size) {
        int from = 0;
        boolean bisectNext = false;
        while (from < records.size()) {
            int n = Math.min(size, records.size() - from);
            if (bisectNext && n > 1) n = n / 2;
            List<StreamedScan> batch = records.subList(from, from + n);
            try {
                updater.apply(SHARD, batch.getLast().occurrence().sequence(), batch);
                from += n;
                bisectNext = false;
            } catch (IllegalStateException injected) {
                bisectNext = !bisectNext;
            }
        }
    }

    @Test
    void aCrashBeforeOrAfterAnyWriteThenRetriedWithOtherBoundariesCountsEveryScanOnce() {
        List<StreamedScan> records = stream();
        var clean = new InMemoryStatisticsStore();
        runShard(updater(clean), records, 16);
        int writes = clean.writes;
        assertTrue(writes > 40, "enough writes to crash between: " + writes);

        // the expected figures, from the records themselves
        Map<String, Long> overall = clean.counters().get(Aggregate.OVERALL);
        long distinct = records.stream().map(StreamedScan::scanId).distinct().count();
        assertEquals(distinct, overall.get("scans"), "each scan once, second publications ignored");

        assertEveryCrashEndsAsTheCleanRun(records, clean);
    }

    /**
     * One badge scanned all day at two gates (and a second participant now and then): its claims overflow into pages
     * many times, some scans arrive late with old scan times (straight into pages), some are published twice.
     */
    static List<StreamedScan> aBadgeLeftNearTheGates() {
        Instant first = NOW.minus(Duration.ofHours(10));
        return shard(90, 20, 8, new Random(9), (i, random) -> {
            boolean late = i > 40 && random.nextInt(7) == 0;
            // 6 minutes apart per gate and direction, as the decision rule allows; a late one from hours before
            Instant at = late ? first.plus(Duration.ofMinutes(3L * random.nextInt(60)).plusSeconds(17))
                    : first.plus(Duration.ofMinutes(6L * i));
            String participant = random.nextInt(10) == 0 ? "p-2" : "p-1";
            return Scans.scan("b-" + i, participant, i % 2 == 0 ? "north" : "south", at,
                    i % 3 == 0 ? Direction.EXIT : Direction.ENTRY);
        });
    }

    @Test
    void aBadgeScannedAllDayKeepsItsItemBoundedAndIsCountedOnceThroughEveryCrash() {
        List<StreamedScan> records = aBadgeLeftNearTheGates();
        var clean = new InMemoryStatisticsStore();
        runShard(updater(clean), records, 16);
        long distinct = records.stream().map(StreamedScan::scanId).distinct().count();
        assertEquals(distinct, clean.counters().get(Aggregate.OVERALL).get("scans"));
        ParticipantClaims badge = clean.storedClaims().get("p-1");
        assertTrue(badge.pagedBefore() != ParticipantClaims.NOTHING_PAGED, "claims moved to pages");
        assertTrue(badge.claims().size() <= ParticipantClaims.INLINE_MAX, "item bounded: " + badge.claims().size());
        assertTrue(clean.storedPages().size() > 3, "several pages: " + clean.storedPages().size());
        for (ClaimPage page : clean.storedPages().values()) {
            assertTrue(page.claims().size() <= ClaimPage.MAX_CLAIMS, "page bounded: " + page.claims().size());
        }
        int stored = badge.claims().size() + clean.storedPages().values().stream()
                .filter(pg -> pg.key().participantId().equals("p-1")).mapToInt(pg -> pg.claims().size()).sum();
        assertEquals(records.stream().filter(r -> r.participantId().equals("p-1")).map(StreamedScan::scanId)
                .distinct().count(), stored, "every counted scan of the badge has exactly one claim");

        assertEveryCrashEndsAsTheCleanRun(records, clean);
    }

    /** One run per write and side (crash before it, crash after it), each recovered as Lambda would. */
    static void assertEveryCrashEndsAsTheCleanRun(List<StreamedScan> records, InMemoryStatisticsStore clean) {
        for (var when : InMemoryStatisticsStore.When.values()) {
            for (int k = 1; k <= clean.writes; k++) {
                var store = new InMemoryStatisticsStore();
                store.failAt = k;
                store.when = when;
                runShard(updater(store), records, 16);
                assertEquals(clean.counters(), store.counters(), "crash " + when + " write " + k);
            }
        }
    }

    /**
     * A shard where gates decided provisionally: some accepted scans the gate had refused, some refusals the gate had
     * let in (on the stream only because of that), and second publications of both.
     */
    static List<StreamedScan> aShardWithEdgeMismatches() {
        Random random = new Random(18);
        List<StreamedScan> records = new ArrayList<>();
        List<Outcome> published = new ArrayList<>();
        long seq = 100;
        for (int i = 0; i < 50; i++) {
            Outcome o;
            if (i > 5 && random.nextInt(5) == 0) {
                o = published.get(random.nextInt(published.size()));
            } else {
                Scan scan = Scans.scan("e-" + i, "p-" + random.nextInt(8), random.nextBoolean() ? "north" : "south",
                        NOW.minus(Duration.ofMinutes(random.nextInt(10))), Direction.ENTRY);
                Instant at = scan.scannedAt();
                o = switch (random.nextInt(3)) {
                    case 0 -> Outcome.rejected(null, scan, RejectReason.PARTICIPANT_INACTIVE, "inactive",
                            at.plusMillis(200), at.plusMillis(210)).withProvisional(Provisional.of(Verdict.ACCEPTED, null, 4));
                    case 1 -> Outcome.accepted(null, scan, at.plusMillis(200), at.plusMillis(210))
                            .withProvisional(Provisional.of(Verdict.DUPLICATE, null, 4));
                    default -> Outcome.accepted(null, scan, at.plusMillis(200), at.plusMillis(210))
                            .withProvisional(Provisional.of(Verdict.ACCEPTED, null, 4));
                };
                published.add(o);
            }
            seq += 1 + random.nextInt(3);
            records.add(new StreamedScan(new Occurrence(SHARD, BigInteger.valueOf(seq)), o));
        }
        return records;
    }

    @Test
    void edgeMismatchesAreCountedOncePerGateAndKindThroughEveryCrashAndRedelivery() {
        List<StreamedScan> records = aShardWithEdgeMismatches();
        var clean = new InMemoryStatisticsStore();
        runShard(updater(clean), records, 8);

        for (String gate : List.of("north", "south")) {
            for (EdgeMismatch kind : EdgeMismatch.values()) {
                long expected = records.stream().filter(r -> r.gateId().equals(gate)
                        && r.edgeMismatch().equals(Optional.of(kind))).map(StreamedScan::scanId).distinct().count();
                assertTrue(expected > 0, "the shard has " + kind.code() + " at " + gate);
                assertEquals(expected, clean.counters().get(Aggregate.gateKey(gate))
                        .getOrDefault(EdgeMismatches.COUNTER + kind.code(), 0L), kind.code() + " at " + gate);
            }
        }
        long accepted = records.stream().filter(StreamedScan::isAccepted).map(StreamedScan::scanId).distinct().count();
        assertEquals(accepted, clean.counters().get(Aggregate.OVERALL).get("scans"), "refusals are not admissions");
        long refused = records.stream().filter(r -> !r.isAccepted()).map(StreamedScan::scanId).distinct().count();
        assertEquals(refused, clean.counters().get(Aggregate.OVERALL)
                .get(EdgeMismatches.COUNTER + EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED.code()));

        var again = clean.counters();
        runShard(updater(clean), records, 5);
        assertEquals(again, clean.counters(), "the whole shard redelivered changes nothing");

        assertEveryCrashEndsAsTheCleanRun(records, clean);
    }

    @Test
    void theWholeShardDeliveredAgainChangesNothing() {
        List<StreamedScan> records = stream();
        var store = new InMemoryStatisticsStore();
        runShard(updater(store), records, 25);
        var once = store.counters();
        runShard(updater(store), records, 7);
        assertEquals(once, store.counters());
    }

    @Test
    void aLateOlderExitDoesNotTakeSomeoneOutAndAReEntryIsNotCountedTwice() {
        var p = ParticipantClaims.none(Scans.EVENT, "p-1");
        Instant t = NOW.minus(Duration.ofMinutes(60));
        assertEquals(new Contribution(scan(p, 1, "a", t, Direction.ENTRY), 1, 1).attendedDelta(),
                p.claim(scan(p, 1, "a", t, Direction.ENTRY)).orElseThrow().attendedDelta());
        var reentry = p.claim(scan(p, 2, "b", t.plusSeconds(600), Direction.ENTRY)).orElseThrow();
        assertEquals(0, reentry.attendedDelta());
        assertEquals(0, reentry.insideDelta(), "inside already: a repeated entry never counts twice");
        var lateExit = p.claim(scan(p, 3, "c", t.plusSeconds(300), Direction.EXIT)).orElseThrow();
        assertEquals(0, lateExit.insideDelta(), "an exit older than the latest entry changes nothing");
        var exit = p.claim(scan(p, 4, "d", t.plusSeconds(900), Direction.EXIT)).orElseThrow();
        assertEquals(-1, exit.insideDelta());
        assertTrue(p.claim(scan(p, 9, "d", t.plusSeconds(900), Direction.EXIT)).isEmpty(),
                "the same scan at another sequence number: another publication, not counted");
        assertEquals(-1, p.claim(scan(p, 4, "d", t.plusSeconds(900), Direction.EXIT)).orElseThrow().insideDelta(),
                "the same occurrence again (a retry) gets its stored contribution back");
    }

    private static StreamedScan scan(ParticipantClaims p, long seq, String scanId, Instant at, Direction d) {
        var scan = Scans.scan(scanId, p.participantId(), "north", at, d);
        return new StreamedScan(new Occurrence(SHARD, BigInteger.valueOf(seq)), new Outcome(null, scan, scanId,
                scan.eventId(), scan.participantId(), "north", Verdict.ACCEPTED, null, null, null, null, at, at));
    }

    @Test
    void aConflictingWriterMakesTheBatchReadAgainAndAddOnlyWhatIsMissing() {
        var store = new InMemoryStatisticsStore() {
            int conflicts = 2;

            @Override
            public boolean saveOverall(String eventId, EventAggregates aggs) {
                if (conflicts-- > 0) return false;
                return super.saveOverall(eventId, aggs);
            }
        };
        List<StreamedScan> records = stream();
        runShard(updater(store), records.subList(0, 20), 20);
        var clean = new InMemoryStatisticsStore();
        runShard(updater(clean), records.subList(0, 20), 20);
        assertEquals(clean.counters(), store.counters());
    }

    @Test
    void aWriterThatNeverGetsThroughFailsTheBatch() {
        var store = new InMemoryStatisticsStore() {
            @Override
            public boolean save(String eventId, Aggregate a) {
                return false;
            }
        };
        List<StreamedScan> records = stream().subList(0, 3);
        assertThrows(IllegalStateException.class,
                () -> updater(store).apply(SHARD, records.getLast().occurrence().sequence(), records));
    }
}
