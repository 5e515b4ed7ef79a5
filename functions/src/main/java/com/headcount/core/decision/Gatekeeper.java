package com.headcount.core.decision;

import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides scans, in order, the same way whether they came over MQTT or HTTP (DESIGN.md section 2), stores every
 * outcome and publishes the accepted ones.
 *
 * <p>Work is per batch: one read of stored outcomes, one reference look-up, one publish. Only the window claim and
 * the first-wins outcome write are per scan, because each needs its own condition.
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

    public Gatekeeper(ReferenceData reference, DedupWindow window, OutcomeLog log, AcceptedScans accepted, Clock clock) {
        this.reference = reference;
        this.window = window;
        this.log = log;
        this.accepted = accepted;
        this.clock = clock;
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
            decided = new HashMap<>(log.find(scans.stream().map(ScanRef::of).distinct().toList()));
            Set<ReferenceKey> keys = new LinkedHashSet<>();
            scans.forEach(scan -> keys.addAll(ScanRules.keysFor(scan)));
            refs = reference.lookup(keys);
        } catch (RuntimeException e) {
            return new BatchResult(List.of(), e);
        }

        List<Outcome> outcomes = new ArrayList<>(arrivals.size());
        List<Outcome> malformed = new ArrayList<>();
        RuntimeException failure = null;
        for (Arrival arrival : arrivals) {
            try {
                Outcome outcome = switch (arrival.parsed()) {
                    case ParsedScan.Malformed m -> Outcome.malformed(arrival.sourceId(), m, arrival.receivedAt(), now);
                    case ParsedScan.Valid v -> decided.computeIfAbsent(ScanRef.of(v.scan()),
                            ref -> decideNew(arrival, v.scan(), refs, now));
                };
                if (outcome.scan() == null) malformed.add(outcome);
                outcomes.add(outcome);
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }

        if (!malformed.isEmpty()) {
            try {
                log.recordMalformed(malformed);
            } catch (RuntimeException e) {
                failure = e;
                outcomes = outcomes.subList(0, outcomes.indexOf(malformed.get(0)));
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
