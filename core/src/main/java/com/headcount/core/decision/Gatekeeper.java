package com.headcount.core.decision;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Decides scans, in order, the same way whether they came over MQTT or HTTP (docs/architecture.md, "How a scan is
 * decided"), stores every outcome and publishes the accepted ones.
 *
 * <p>Work is per batch: one read of stored outcomes, one of the windows, one reference look-up, one publish. Only
 * the window claim and the first-wins outcome write are per scan, because each needs its own condition; a scan the
 * window read already shows as a duplicate needs no claim at all.
 *
 * <p>Scans that cannot affect each other (another participant, gate or direction) are decided side by side; those
 * that can are decided in their order of arrival.
 *
 * <p>A transient failure (a throttled or unreachable store) stops the batch at that scan: everything before it is
 * decided, stored and published, and the caller redelivers from there. A permanent one (the store refuses the scan
 * as sent) stores the scan as {@link RejectReason#UNPROCESSABLE} and goes on: no message can hold a stream up.
 * Redelivery is safe because a stored outcome is reused, a claim is idempotent per scan, a claim whose scan did not
 * end accepted is released (see {@link DedupWindow}), and publishing again only repeats what the statistics dedupe.
 */
public final class Gatekeeper {

    /**
     * A message as it arrived, before it is decided.
     *
     * @param overHttp sent with a token over HTTP rather than by a gate bound to its topic
     */
    public record Arrival(String sourceId, ParsedScan parsed, Instant receivedAt, boolean overHttp) {
        /** A gate's message. */
        public Arrival(String sourceId, ParsedScan parsed, Instant receivedAt) {
            this(sourceId, parsed, receivedAt, false);
        }
    }

    /**
     * @param decided     one per arrival, null for an arrival that was not decided (a transient failure)
     * @param unpublished accepted outcomes, stored, that could not be published yet
     * @param failure     the first transient failure, or null
     */
    public record BatchResult(List<Outcome> decided, List<Outcome> unpublished, RuntimeException failure) {

        /** Decided, stored and published, with nothing left to redo. */
        public boolean complete() {
            return failure == null && unpublished.isEmpty();
        }

        /**
         * The outcomes before the first arrival that is undecided or unpublished: how far a stream may checkpoint.
         * Whatever was done after it is stored and will be found again when the rest is redelivered.
         */
        public List<Outcome> outcomes() {
            Set<Outcome> pending = Collections.newSetFromMap(new IdentityHashMap<>());
            pending.addAll(unpublished);
            List<Outcome> done = new ArrayList<>();
            for (Outcome o : decided) {
                if (o == null || pending.contains(o)) break;
                done.add(o);
            }
            return done;
        }
    }

    private final ReferenceData reference;
    private final DedupWindow window;
    private final OutcomeLog log;
    private final AcceptedScans accepted;
    private final Clock clock;
    private final int parallelism;
    private final FailureClassifier failures;

    public Gatekeeper(ReferenceData reference, DedupWindow window, OutcomeLog log, AcceptedScans accepted, Clock clock) {
        this(reference, window, log, accepted, clock, 1, FailureClassifier.CORE);
    }

    /** @param parallelism how many independent scans are decided at once (their requests overlap) */
    public Gatekeeper(ReferenceData reference, DedupWindow window, OutcomeLog log, AcceptedScans accepted, Clock clock,
                      int parallelism, FailureClassifier failures) {
        this.reference = reference;
        this.window = window;
        this.log = log;
        this.accepted = accepted;
        this.clock = clock;
        this.parallelism = parallelism;
        this.failures = failures;
    }

    public BatchResult decide(List<Arrival> arrivals) {
        Instant now = clock.instant();
        Outcome[] decided = new Outcome[arrivals.size()];
        RuntimeException[] failedAt = new RuntimeException[arrivals.size()];
        List<Scan> scans = new ArrayList<>();
        for (Arrival arrival : arrivals) {
            if (arrival.parsed() instanceof ParsedScan.Valid valid) scans.add(valid.scan());
        }

        Map<ScanRef, Outcome> stored;
        ReferenceSet refs;
        DedupWindow.Batch windows;
        try {
            stored = new ConcurrentHashMap<>(log.find(scans.stream().map(ScanRef::of).distinct().toList()));
            // a scan stored as accepted, exactly as it came again, is a plain redelivery: its window is as it should be
            windows = window.open(scans.stream().filter(s -> !acceptedAs(stored.get(ScanRef.of(s)), s)).toList(), now);
            Set<ReferenceKey> keys = new LinkedHashSet<>();
            scans.forEach(scan -> keys.addAll(ScanRules.keysFor(scan)));
            refs = freshWhereAGateKnowsBetter(arrivals, reference.lookup(keys));
        } catch (RuntimeException e) {
            return new BatchResult(Arrays.asList(decided), List.of(), e);
        }

        List<Integer> refused = new ArrayList<>();
        Map<String, List<Integer>> lanes = new LinkedHashMap<>();
        for (int i = 0; i < arrivals.size(); i++) {
            Arrival arrival = arrivals.get(i);
            switch (arrival.parsed()) {
                case ParsedScan.Malformed m -> {
                    decided[i] = Outcome.malformed(arrival.sourceId(), m, arrival.receivedAt(), now);
                    refused.add(i);
                }
                case ParsedScan.ForeignTopic f -> {
                    decided[i] = Outcome.mismatched(arrival.sourceId(), f, arrival.receivedAt(), now);
                    refused.add(i);
                }
                case ParsedScan.Valid v -> lanes.computeIfAbsent(laneOf(v.scan()), k -> new ArrayList<>()).add(i);
            }
        }
        runLanes(lanes.values(), lane -> {
            for (int i : lane) {
                Arrival arrival = arrivals.get(i);
                Scan scan = ((ParsedScan.Valid) arrival.parsed()).scan();
                try {
                    decided[i] = decideOne(arrival, scan, stored.get(ScanRef.of(scan)), refs, windows, now);
                    if (!decided[i].storedBySource()) stored.putIfAbsent(ScanRef.of(scan), decided[i]);
                } catch (RuntimeException e) {
                    failedAt[i] = e;
                    return; // later scans of this lane depend on this one's outcome
                }
            }
        });

        RuntimeException failure = firstFailure(failedAt);
        if (!refused.isEmpty()) {
            try {
                log.recordRefused(refused.stream().map(i -> decided[i]).toList());
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                refused.forEach(i -> decided[i] = null);
            }
        }

        // accepted scans, and refusals of scans their gate let in: the statistics count those edge mismatches
        List<Outcome> toPublish = Arrays.stream(decided).filter(o -> o != null && o.streamed()).distinct().toList();
        List<Outcome> unpublished = List.of();
        if (!toPublish.isEmpty()) {
            try {
                unpublished = List.copyOf(accepted.publish(toPublish));
            } catch (RuntimeException e) {
                unpublished = toPublish;
                if (failure == null) failure = e;
            }
        }
        return new BatchResult(Collections.unmodifiableList(Arrays.asList(decided)), unpublished, failure);
    }

    /**
     * One valid scan: its stored outcome if it has one, else a decision now. Either way, a claim of this scan that
     * did not end as this scan accepted is given back.
     */
    private Outcome decideOne(Arrival arrival, Scan scan, Outcome stored, ReferenceSet refs, DedupWindow.Batch windows,
                              Instant now) {
        Outcome outcome = stored;
        if (outcome == null) {
            try {
                outcome = decideNew(arrival, scan, refs, windows, now);
            } catch (RuntimeException e) {
                if (failures.classify(e) == FailureClassifier.Kind.TRANSIENT) throw e;
                outcome = log.recordFirst(Outcome.unprocessable(arrival.sourceId(), scan, describe(e),
                        arrival.receivedAt(), now).withProvisional(provisional(arrival)));
            }
        }
        if (!acceptedAs(outcome, scan) && windows.claimedBy(scan)) windows.release(scan);
        return outcome;
    }

    /**
     * The cloud's decision with the gate's provisional beside it, stored in the same first-wins write: a redelivery
     * finds both as they were first decided, and publishes and tells the gate the same.
     */
    private Outcome decideNew(Arrival arrival, Scan scan, ReferenceSet refs, DedupWindow.Batch windows, Instant now) {
        Provisional gate = provisional(arrival);
        var rejection = ScanRules.check(scan, refs, arrival.receivedAt(), arrival.overHttp());
        if (rejection.isPresent()) {
            return log.recordFirst(Outcome.rejected(arrival.sourceId(), scan, rejection.get().reason(),
                    rejection.get().detail(), arrival.receivedAt(), now).withProvisional(gate));
        }
        AttendanceEvent event = refs.event(scan.eventId()).orElseThrow();
        DedupWindow.Claim claim = windows.holder(scan);
        if (claim == null) claim = windows.claim(scan, event.end().plus(AttendanceEvent.SCAN_MARGIN));
        return switch (claim) {
            case DedupWindow.HeldBy first -> log.recordFirst(Outcome.duplicate(arrival.sourceId(), scan,
                    first.scanId(), first.scannedAt(), arrival.receivedAt(), now).withProvisional(gate));
            case DedupWindow.OtherBody other -> {
                // the first body keeps the id (its delivery or retry stores it); this one is kept by its source
                Outcome refused = Outcome.idReused(arrival.sourceId(), scan, other.claimedFor(), arrival.receivedAt(),
                        now).withProvisional(gate);
                log.recordRefused(List.of(refused));
                yield refused;
            }
            case DedupWindow.Claimed claimed -> accepted(arrival, scan, gate, windows, now);
        };
    }

    /**
     * Stores a claimed scan as accepted. Over HTTP nobody redelivers a request whose outcome write failed, and its
     * claim would hold the lane for a scan nobody can find: unless the outcome turns out stored after all, the claim
     * is given back before the failure is answered (503, retry with the same key). A gate's scan keeps its claim:
     * the stream redelivers it, and its next delivery finds it.
     */
    private Outcome accepted(Arrival arrival, Scan scan, Provisional gate, DedupWindow.Batch windows, Instant now) {
        try {
            return log.recordFirst(
                    Outcome.accepted(arrival.sourceId(), scan, arrival.receivedAt(), now).withProvisional(gate));
        } catch (RuntimeException e) {
            if (arrival.overHttp() && failures.classify(e) == FailureClassifier.Kind.TRANSIENT) giveBack(scan, windows);
            throw e;
        }
    }

    private void giveBack(Scan scan, DedupWindow.Batch windows) {
        try {
            Outcome stored = log.find(List.of(ScanRef.of(scan))).get(ScanRef.of(scan));
            if (!acceptedAs(stored, scan)) windows.release(scan);
        } catch (RuntimeException stillFailing) {
            // the store is still failing: the claim stays until the client retries with the same key
        }
    }

    /**
     * A gate that decided from its allow-list hears of a change within a second or so, while this function's reference
     * cache may be up to its TTL old: where a gate's provisional disagrees with the cached reference about letting the
     * scan through (one rejects on the reference, the other does not, or for another reason), the scan's keys are read
     * again from the store, so the final answer is not older than the gate's. Only disagreements cost a read.
     */
    private ReferenceSet freshWhereAGateKnowsBetter(List<Arrival> arrivals, ReferenceSet cached) {
        Set<ReferenceKey> doubtful = new LinkedHashSet<>();
        for (Arrival arrival : arrivals) {
            if (!(arrival.parsed() instanceof ParsedScan.Valid valid)) continue;
            Provisional gate = provisional(arrival);
            if (gate == null || !gate.readable()) continue;
            var cloud = ScanRules.check(valid.scan(), cached, arrival.receivedAt(), arrival.overHttp());
            boolean gateRejected = gate.verdict() == Verdict.REJECTED;
            if (gateRejected != cloud.isPresent() || (gateRejected && gate.reason() != cloud.get().reason())) {
                doubtful.addAll(ScanRules.keysFor(valid.scan()));
            }
        }
        if (doubtful.isEmpty()) return cached;
        Map<ReferenceKey, Object> merged = new java.util.HashMap<>(cached.found());
        doubtful.forEach(merged::remove);
        merged.putAll(reference.lookupFresh(doubtful).found());
        return new ReferenceSet(merged);
    }

    private static Provisional provisional(Arrival arrival) {
        return arrival.parsed() instanceof ParsedScan.Valid v ? Provisional.parse(v.provisional()) : null;
    }

    /** Whether the stored outcome is this very scan, accepted (not another body sent under its id). */
    static boolean acceptedAs(Outcome stored, Scan scan) {
        return stored != null && stored.isAccepted() && stored.scan() != null && stored.scan().sameScanAs(scan);
    }

    /** The store's reason, without anything the scan carried: an error message may quote the rejected value. */
    private static String describe(RuntimeException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int cut = message.indexOf(" (Service:");
        if (cut >= 0) message = message.substring(0, cut);
        if (message.length() > 200) message = message.substring(0, 200) + "…";
        return "the store refused it: " + e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** Scans that can change each other's outcome: same event, participant, gate and direction. */
    private static String laneOf(Scan scan) {
        return scan.eventId() + "#" + scan.participantId() + "#" + scan.gateId() + "#" + scan.direction();
    }

    /**
     * Decides independent lanes side by side: each scan costs a couple of round trips to the store, and a Lambda
     * batch of a thousand scans in a row would be billed for every one of them waiting.
     */
    private void runLanes(Collection<List<Integer>> lanes, Consumer<List<Integer>> decideLane) {
        if (parallelism <= 1 || lanes.size() <= 1) {
            lanes.forEach(decideLane);
            return;
        }
        Iterator<List<Integer>> next = lanes.iterator();
        Runnable worker = () -> {
            while (true) {
                List<Integer> lane;
                synchronized (next) {
                    if (!next.hasNext()) return;
                    lane = next.next();
                }
                decideLane.accept(lane);
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(parallelism, lanes.size()); w++) workers.add(Thread.ofVirtual().start(worker));
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deciding a batch", e);
            }
        }
    }

    private static RuntimeException firstFailure(RuntimeException[] failures) {
        for (RuntimeException e : failures) if (e != null) return e;
        return null;
    }
}
