package com.headcount.core.decision;

import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Decides scans, in order, the same way whether they came over MQTT or HTTP (DESIGN.md section 2), stores every
 * outcome and publishes the accepted ones.
 *
 * <p>Work is per batch: one read of stored outcomes, one reference look-up, one publish. Only the window claim and
 * the first-wins outcome write are per scan, because each needs its own condition.
 *
 * <p>Scans that cannot affect each other (another participant, gate or direction) are decided side by side; those
 * that can are decided in their order of arrival.
 *
 * <p>A failure (a throttled or unreachable store) stops the batch at that scan: everything before it is decided,
 * stored and published, and the caller redelivers from there. Redelivery is safe because a stored outcome is
 * reused, a claim is idempotent per scan id, and publishing again only repeats what the statistics dedupe.
 */
public final class Gatekeeper {

    /** A message as it arrived, before it is decided. */
    public record Arrival(String sourceId, ParsedScan parsed, Instant receivedAt) {}

    /**
     * @param outcomes one per arrival, for the first {@code outcomes.size()} arrivals
     * @param failure  why the rest were not decided; null when all were
     */
    public record BatchResult(List<Outcome> outcomes, RuntimeException failure) {
        public boolean complete() {
            return failure == null;
        }
    }

    private final ReferenceData reference;
    private final DedupWindow window;
    private final OutcomeLog log;
    private final AcceptedScans accepted;
    private final Clock clock;
    private final int parallelism;

    public Gatekeeper(ReferenceData reference, DedupWindow window, OutcomeLog log, AcceptedScans accepted, Clock clock) {
        this(reference, window, log, accepted, clock, 1);
    }

    /** @param parallelism how many independent scans are decided at once (their requests overlap) */
    public Gatekeeper(ReferenceData reference, DedupWindow window, OutcomeLog log, AcceptedScans accepted, Clock clock,
                      int parallelism) {
        this.reference = reference;
        this.window = window;
        this.log = log;
        this.accepted = accepted;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    public BatchResult decide(List<Arrival> arrivals) {
        Instant now = clock.instant();
        List<Scan> scans = new ArrayList<>();
        for (Arrival arrival : arrivals) {
            if (arrival.parsed() instanceof ParsedScan.Valid valid) scans.add(valid.scan());
        }

        Map<ScanRef, Outcome> decided;
        ReferenceSet refs;
        try {
            decided = new ConcurrentHashMap<>(log.find(scans.stream().map(ScanRef::of).distinct().toList()));
            Set<ReferenceKey> keys = new LinkedHashSet<>();
            scans.forEach(scan -> keys.addAll(ScanRules.keysFor(scan)));
            refs = reference.lookup(keys);
        } catch (RuntimeException e) {
            return new BatchResult(List.of(), e);
        }

        Outcome[] decidedAt = new Outcome[arrivals.size()];
        RuntimeException[] failedAt = new RuntimeException[arrivals.size()];
        List<Outcome> malformed = new ArrayList<>();
        Map<String, List<Integer>> lanes = new LinkedHashMap<>();
        for (int i = 0; i < arrivals.size(); i++) {
            Arrival arrival = arrivals.get(i);
            switch (arrival.parsed()) {
                case ParsedScan.Malformed m -> {
                    decidedAt[i] = Outcome.malformed(arrival.sourceId(), m, arrival.receivedAt(), now);
                    malformed.add(decidedAt[i]);
                }
                case ParsedScan.Valid v -> lanes.computeIfAbsent(laneOf(v.scan()), k -> new ArrayList<>()).add(i);
            }
        }
        runLanes(lanes.values(), lane -> {
            for (int i : lane) {
                Arrival arrival = arrivals.get(i);
                Scan scan = ((ParsedScan.Valid) arrival.parsed()).scan();
                try {
                    Outcome stored = decided.get(ScanRef.of(scan));
                    decidedAt[i] = stored != null ? stored : decideNew(arrival, scan, refs, now);
                    decided.putIfAbsent(ScanRef.of(scan), decidedAt[i]);
                } catch (RuntimeException e) {
                    failedAt[i] = e;
                    return; // later scans of this lane depend on this one's outcome
                }
            }
        });

        // The batch is done up to the first scan that is not: Lambda resumes there, and whatever was decided
        // after it is stored and will be found again.
        RuntimeException failure = null;
        List<Outcome> outcomes = new ArrayList<>(arrivals.size());
        for (int i = 0; i < arrivals.size(); i++) {
            if (decidedAt[i] == null) {
                failure = failedAt[i] != null ? failedAt[i] : firstFailure(failedAt);
                break;
            }
            outcomes.add(decidedAt[i]);
        }

        if (!malformed.isEmpty()) {
            try {
                log.recordMalformed(malformed);
            } catch (RuntimeException e) {
                failure = e;
                int first = outcomes.indexOf(malformed.get(0));
                if (first >= 0) outcomes = outcomes.subList(0, first);
            }
        }

        List<Outcome> toPublish = outcomes.stream().filter(Outcome::isAccepted).distinct().toList();
        if (!toPublish.isEmpty()) {
            List<Outcome> unpublished;
            try {
                unpublished = accepted.publish(toPublish);
                if (!unpublished.isEmpty()) {
                    failure = new IllegalStateException(unpublished.size() + " accepted scans could not be published");
                }
            } catch (RuntimeException e) {
                unpublished = toPublish;
                failure = e;
            }
            outcomes = outcomes.subList(0, firstIndexOfAny(outcomes, unpublished));
        }
        return new BatchResult(List.copyOf(outcomes), failure);
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
        return new IllegalStateException("a scan was left undecided");
    }

    private Outcome decideNew(Arrival arrival, Scan scan, ReferenceSet refs, Instant now) {
        var rejection = ScanRules.check(scan, refs, arrival.receivedAt());
        if (rejection.isPresent()) {
            return log.recordFirst(Outcome.rejected(arrival.sourceId(), scan, rejection.get().reason(),
                    rejection.get().detail(), arrival.receivedAt(), now));
        }
        return switch (window.claim(scan, now)) {
            case DedupWindow.HeldBy first -> log.recordFirst(Outcome.duplicate(arrival.sourceId(), scan,
                    first.scanId(), first.scannedAt(), arrival.receivedAt(), now));
            case DedupWindow.Claimed claimed -> {
                Outcome stored = log.recordFirst(Outcome.accepted(arrival.sourceId(), scan, arrival.receivedAt(), now));
                // Another delivery of this scan id was decided otherwise first: its outcome stands, so our claim
                // must not keep later scans out.
                if (!stored.isAccepted()) window.release(scan);
                yield stored;
            }
        };
    }

    private static int firstIndexOfAny(List<Outcome> outcomes, List<Outcome> wanted) {
        Set<Outcome> set = Set.copyOf(wanted);
        for (int i = 0; i < outcomes.size(); i++) {
            if (set.contains(outcomes.get(i))) return i;
        }
        return outcomes.size();
    }
}
