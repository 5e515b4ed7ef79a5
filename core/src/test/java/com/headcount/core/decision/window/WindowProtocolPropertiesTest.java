package com.headcount.core.decision.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeLog;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import com.headcount.testing.InMemoryStores;
import com.headcount.testing.MutableClock;
import com.headcount.testing.Scans;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The window's two guarantees as properties of the protocol (docs/architecture.md, "The window"), over random
 * interleavings of deliveries on one lane and its neighbour across a block edge: every store request is a point where
 * another delivery may run, a delivery may die at any of them (between its claim and its mirror, or before its outcome
 * write) or see its outcome write fail, and whatever died is delivered again, as the stream (or an HTTP client
 * retrying with the same key) does. Some deliveries reuse another's scan id with their own body.
 *
 * <p>Once everything has been delivered to the end: (1) every claim and mirror names a scan stored as that scan,
 * accepted, and every accepted scan holds its claim; (2) no two accepted scans of one lane are within 300 000 ms.
 *
 * <p>The real {@link Gatekeeper} and {@link BlockWindow} run on the in-memory stores. The interleaving is the
 * scenario's, not the JVM's: one delivery runs at a time and the scheduler picks the next at each request, so a try
 * always runs the same way, and the seed is fixed, so CI runs the same tries every time.
 */
class WindowProtocolPropertiesTest {

    static final Instant NOON = Instant.parse("2026-11-26T12:00:00Z");
    /**
     * The ingest function's timeout. The protocol relies on it: a pending edge claim is judged abandoned after
     * {@link WindowModel#ABANDONED_AFTER}, which only a delivery that is no longer running can leave.
     */
    static final long TIMEOUT_MILLIS = 60_000;

    /** One scan to deliver: its lane's participant, where it lies from the lane's block edge, and whose id it uses. */
    record Spec(int participant, long fromEdgeMillis, int idOf, boolean overHttp) {}

    record Scenario(List<Spec> scans, List<Integer> choices) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        // steps of 50 s, some a millisecond off: pairs fall exactly 300 000 ms apart, or just inside or outside
        Arbitrary<Long> fromEdge = Combinators.combine(Arbitraries.integers().between(-14, 14),
                Arbitraries.of(0L, 0L, 0L, 1L, -1L)).as((k, jitter) -> k * 50_000L + jitter);
        Arbitrary<Spec> spec = Combinators.combine(Arbitraries.integers().between(1, 2), fromEdge,
                Arbitraries.integers().between(-1, 6), Arbitraries.of(false, false, true)).as(Spec::new);
        return Combinators.combine(spec.list().ofMinSize(2).ofMaxSize(7),
                Arbitraries.integers().between(0, 999).list().ofMaxSize(400)).as(Scenario::new);
    }

    @Property(tries = 400, seed = "20261126")
    void everyClaimNamesAnAcceptedScanAndNoTwoAcceptedScansOfALaneAreWithinTheWindow(@ForAll("scenarios") Scenario s) {
        var run = new Run(s);
        run.deliverAll();

        Map<String, Outcome> byId = run.log.byScan.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().scanId(), Map.Entry::getValue));
        for (var slot : run.window.blocks.slots()) {
            Outcome o = byId.get(slot.getValue().scanId());
            assertTrue(o != null && o.isAccepted() && o.scan().scannedAt().equals(slot.getValue().at())
                            && WindowModel.lane(o.scan()).equals(slot.getKey().lane()),
                    "the slot " + slot + " names a scan stored as accepted, not " + o);
        }
        List<Outcome> accepted = byId.values().stream().filter(Outcome::isAccepted).toList();
        for (Outcome o : accepted) {
            Slot own = run.window.blocks.items.getOrDefault(WindowModel.ownBlock(o.scan()),
                    BlockItem.absent(WindowModel.ownBlock(o.scan()))).slot(WindowModel.bucketOf(o.scan()));
            assertTrue(own != null && own.names(o.scan()), "the accepted scan " + o.scanId() + " holds its claim");
        }
        Map<String, List<Instant>> lanes = accepted.stream().collect(Collectors.groupingBy(o -> WindowModel.lane(o.scan()),
                Collectors.mapping(o -> o.scan().scannedAt(), Collectors.toList())));
        lanes.forEach((lane, times) -> {
            times.sort(Comparator.naturalOrder());
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i).toEpochMilli() - times.get(i - 1).toEpochMilli() > WindowRule.WINDOW_MILLIS,
                        lane + ": two accepted scans within the window: " + times);
            }
        });
        assertEquals(run.deliveredToTheEnd, s.scans().size(), "every scan was decided in the end");
    }

    /** A delivery that died: it stops at a store request and never comes back (its redelivery is a new one). */
    static final class Crash extends Error {
        Crash() {
            super("the instance died", null, false, false);
        }
    }

    /** The run's clock in milliseconds: read, and moved on. */
    record Millis(MutableClock clock) {

        long get() {
            return clock.millis();
        }

        void addAndGet(long ms) {
            clock.advance(java.time.Duration.ofMillis(ms));
        }
    }

    /** One try: the stores, the clock, and the deliveries, run one request at a time in the scenario's order. */
    static final class Run {
        final MutableClock clock = new MutableClock(NOON.plusSeconds(3600));
        final Millis millis = new Millis(clock);

        // a pause for a pending claim moves time on, and the next request lets another delivery run
        final InMemoryStores.Window window = new InMemoryStores.Window(clock,
                wait -> millis.addAndGet(Math.min(400, 10L << wait)));
        final InMemoryStores.Log log = new InMemoryStores.Log();
        final Gatekeeper gatekeeper;
        final Scenario scenario;
        final Iterator<Integer> choices;
        final List<Scan> scans = new ArrayList<>();
        final Deque<Delivery> waiting = new ArrayDeque<>();
        final List<Delivery> started = new ArrayList<>();
        final ThreadLocal<Delivery> current = new ThreadLocal<>();
        int deliveredToTheEnd;

        Run(Scenario scenario) {
            this.scenario = scenario;
            this.choices = scenario.choices().iterator();
            window.blocks.onAccess = this::request;
            gatekeeper = new Gatekeeper(Scans.reference(), window, new SteppedLog(), new InMemoryStores.Published(),
                    clock);
            String lane = Scans.EVENT + "#p-1#north#entry";
            Instant edge = WindowRule.nextBlockEdge(NOON, WindowRule.offsetOf(lane));
            List<Spec> specs = scenario.scans();
            for (int i = 0; i < specs.size(); i++) {
                Spec spec = specs.get(i);
                String id = spec.idOf() >= 0 && spec.idOf() < i ? scans.get(spec.idOf()).scanId() : "scan-" + i;
                scans.add(Scans.scan(id, "p-" + spec.participant(), "north", edge.plusMillis(spec.fromEdgeMillis()),
                        Direction.ENTRY));
                waiting.add(new Delivery(i, 1));
            }
        }

        int next() {
            return choices.hasNext() ? choices.next() : 500;
        }

        void deliverAll() {
            List<Delivery> live = new ArrayList<>();
            while (!waiting.isEmpty() || !live.isEmpty()) {
                // a delivery waiting to start joins at the scenario's choice (or once nothing else runs)
                if (!waiting.isEmpty() && (live.isEmpty() || next() % 3 == 0)) {
                    Delivery d = waiting.poll();
                    live.add(d);
                    d.start();
                    continue;
                }
                int choice = next();
                // early deliveries run in any order, may die at a request or lose their outcome write, and time may
                // jump past their timeout; from the fifth on a delivery runs alone, briskly, to its end
                Delivery d = live.stream().filter(Delivery::late).findFirst().orElse(live.get(choice % live.size()));
                boolean early = !d.late();
                millis.addAndGet(early ? (choice % 7) * 700L + (choice % 41 == 0 ? 150_000 : 0) : choice % 7 * 100L);
                d.crash = early && choice % 11 == 0;
                d.failOutcomeWrite = early && choice % 13 == 0;
                if (!d.step()) {
                    live.remove(d);
                    if (d.decided) {
                        deliveredToTheEnd++;
                    } else if (!d.overHttp() || d.crashed) {
                        // the stream redelivers it; an HTTP client whose request died retries with the same key
                        assertTrue(d.attempt < 12, "scan " + d.index + " is still undecided after 12 deliveries: "
                                + (d.crashed ? "died" : d.failure) + "; window " + window.blocks.items);
                        millis.addAndGet(30_000);
                        waiting.add(new Delivery(d.index, d.attempt + 1));
                    } else {
                        deliveredToTheEnd++; // answered 503 and given up on: nothing of it may remain
                    }
                }
            }
        }

        /** A store request: the delivery making it waits for its turn here, and may die here. */
        void request() {
            Delivery d = current.get();
            if (d != null) d.yieldTurn();
        }

        boolean overHttp(int index) {
            return scenario.scans().get(index).overHttp();
        }

        /** One delivery of one scan, on its own thread, which runs only while the scheduler lets it. */
        final class Delivery {
            final int index;
            final int attempt;
            final Semaphore go = new Semaphore(0);
            final Semaphore paused = new Semaphore(0);
            volatile boolean crash;
            volatile boolean failOutcomeWrite;
            volatile boolean done;
            volatile boolean decided;
            volatile boolean crashed;
            volatile String failure;
            /** When it started: a function is stopped at its timeout, well before a claim counts as abandoned. */
            volatile long startedAt;

            Delivery(int index, int attempt) {
                this.index = index;
                this.attempt = attempt;
            }

            boolean overHttp() {
                return Run.this.overHttp(index);
            }

            boolean late() {
                return attempt >= 5;
            }

            void start() {
                startedAt = millis.get();
                Scan scan = scans.get(index);
                Thread.ofVirtual().start(() -> {
                    current.set(this);
                    try {
                        go.acquireUninterruptibly();
                        String source = (overHttp() ? "http:" : "shard:") + index + "/" + attempt;
                        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival(source,
                                new ParsedScan.Valid(scan), scan.scannedAt(), overHttp())));
                        decided = result.failure() == null;
                        if (!decided) failure = String.valueOf(result.failure());
                    } catch (Crash c) {
                        crashed = true;
                    } finally {
                        done = true;
                        paused.release();
                    }
                });
            }

            /** Lets the delivery run to its next request (or its end); false once it has ended. */
            boolean step() {
                go.release();
                paused.acquireUninterruptibly();
                return !done;
            }

            void yieldTurn() {
                paused.release();
                go.acquireUninterruptibly();
                if (crash || millis.get() - startedAt > TIMEOUT_MILLIS) throw new Crash();
            }
        }

        /** The outcome log, each request a turn like the window's; an injected failure is a throttled write. */
        final class SteppedLog implements OutcomeLog {
            @Override
            public Map<ScanRef, Outcome> find(Collection<ScanRef> refs) {
                request();
                return log.find(refs);
            }

            @Override
            public Outcome recordFirst(Outcome outcome) {
                request();
                Delivery d = current.get();
                if (d != null && d.failOutcomeWrite) throw new FailureClassifier.TransientFailure("injected: throttled");
                return log.recordFirst(outcome);
            }

            @Override
            public void recordRefused(Collection<Outcome> outcomes) {
                request();
                log.recordRefused(outcomes);
            }
        }
    }
}
