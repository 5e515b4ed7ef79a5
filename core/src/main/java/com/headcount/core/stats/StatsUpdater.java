package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.forecast.EventWindow;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.time.RetryPolicy;
import com.headcount.core.time.Sleeper;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Counts one batch of `attendance-recorded` (one shard, in sequence order) into the statistics, exactly once.
 *
 * <p>Per event: (1) claim each accepted scan for its participant and write the changed claim pages and participant
 * items, and each refused edge mismatch for its scan id;
 * (2) read the aggregates, add the claimed scans each aggregate lacks, evaluate the alerts, write each changed
 * aggregate once (conditional on its version; on a conflict with another shard's batch, back off with jitter, read
 * again and redo: the watermarks make the redo add only what is still missing); (3) store and stream the alerts in
 * the outbox ({@link AlertOutbox}); (4) publish the snapshot, read after the write, for every event of the batch.
 *
 * <p>Any failure is thrown: Lambda retries the batch (or its halves) and every step above is safe to repeat. Step 4
 * claims nothing and depends on nothing that the first attempt may have written: a retry of the same batch publishes
 * again whatever its redo found still to count, so a publication lost to a failure after the write is made by the
 * retry. The mapping's batching window bounds how often an event is published (one batch per shard at a time).
 */
public final class StatsUpdater {

    static final int MAX_CONFLICTS = 8;
    /** Shards of one event meet on its overall item: spread their retries so they do not collide again in step. */
    static final RetryPolicy CONFLICT_BACKOFF =
            new RetryPolicy(MAX_CONFLICTS, Duration.ofMillis(10), Duration.ofMillis(320));

    private final ReferenceData reference;
    private final ReferenceData consistentReference;
    private final StatisticsStore store;
    private final AlertOutbox outbox;
    private final Publication publication;
    private final List<AlertCondition> conditions;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /**
     * @param reference           reference data through the warm cache
     * @param consistentReference the same data read strongly consistently and never cached: asked only for an event
     *                            the cache does not know, so a just-created event is not missed and an absence is
     *                            never remembered
     */
    public StatsUpdater(ReferenceData reference, ReferenceData consistentReference, StatisticsStore store,
                        AlertOutbox outbox, Publication publication, List<AlertCondition> conditions, Clock clock,
                        Sleeper sleeper, RandomGenerator random) {
        this.reference = reference;
        this.consistentReference = consistentReference;
        this.store = store;
        this.outbox = outbox;
        this.publication = publication;
        this.conditions = List.copyOf(conditions);
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** What a batch did, for the handler's log line. */
    public record BatchResult(int scans, int counted, int otherPublications, int uncounted, int aggregatesWritten,
                              int alertsRaised, int snapshotsPublished) {}

    /** @param lastSequence the batch's highest sequence number (the new watermark of what it changes) */
    public BatchResult apply(String shardId, BigInteger lastSequence, List<StreamedScan> scans) {
        Map<String, List<StreamedScan>> byEvent = new LinkedHashMap<>();
        for (StreamedScan s : scans) byEvent.computeIfAbsent(s.eventId(), e -> new ArrayList<>()).add(s);
        int counted = 0, foreign = 0, uncounted = 0, written = 0, raised = 0, published = 0;
        for (var entry : byEvent.entrySet()) {
            EventResult r = applyEvent(entry.getKey(), entry.getValue(), shardId, lastSequence);
            counted += r.counted;
            uncounted += r.uncounted;
            foreign += entry.getValue().size() - r.counted - r.uncounted;
            written += r.written;
            raised += r.raised;
            published += r.published ? 1 : 0;
        }
        return new BatchResult(scans.size(), counted, foreign, uncounted, written, raised, published);
    }

    private record EventResult(int counted, int uncounted, int written, int raised, boolean published) {}

    private EventResult applyEvent(String eventId, List<StreamedScan> scans, String shardId, BigInteger lastSequence) {
        Optional<AttendanceEvent> found = find(eventId);
        if (found.isEmpty()) {
            store.recordUncounted(eventId, scans, clock.instant());
            return new EventResult(0, scans.size(), 0, 0, false);
        }
        AttendanceEvent event = found.get();
        List<Contribution> contributions = claim(eventId, scans.stream().filter(StreamedScan::isAccepted).toList());
        List<StreamedScan> refusals = claimRefusals(eventId, scans.stream().filter(s -> !s.isAccepted()).toList());

        Set<String> hourKeys = new TreeSet<>();
        for (Contribution c : contributions) hourKeys.add(Figures.hourKey(c.scan().scannedAt(), event.timeZone()));
        Instant doorsOpen = event.start().minus(EventWindow.DOORS_OPEN_BEFORE_START);
        List<Gate> gates = null;
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            EventAggregates aggs = store.aggregates(eventId, hourKeys);
            List<Aggregate> changed = Aggregation.apply(aggs, contributions, refusals, event.timeZone(), doorsOpen,
                    shardId, lastSequence, now);
            if (aggs.overall.changed()) {
                aggs.overall.max(StatisticsSnapshot.UPDATED_AT, now.toEpochMilli());
                aggs.overall.add(StatisticsSnapshot.CHANGES, 1);
            }
            if (gates == null) gates = gates(eventId, aggs, scans);
            long active = aggs.activeParticipants != null ? aggs.activeParticipants : store.activeParticipants(eventId);
            List<Alert> raised = AlertRules.evaluate(conditions, new AlertCondition.Context(event, gates, aggs, active,
                    now, Figures.eventNow(aggs.overall, now)));
            int written = write(eventId, changed, aggs);
            if (written < 0) {
                afterConflict(attempt, "aggregates of " + eventId, sleeper, random);
                continue;
            }
            outbox.deliver(eventId, aggs.outbox.values());
            boolean published = publication.publish(eventId, now);
            return new EventResult(contributions.size() + refusals.size(), 0, written, raised.size(), published);
        }
    }

    private Optional<AttendanceEvent> find(String eventId) {
        List<ReferenceKey> key = List.of(new ReferenceKey.OfEvent(eventId));
        Optional<AttendanceEvent> found = reference.lookup(key).event(eventId);
        return found.isPresent() ? found : consistentReference.lookup(key).event(eventId);
    }

    /** Step 1: claims, participant by participant, in stream order; pages read before they are needed. */
    private List<Contribution> claim(String eventId, List<StreamedScan> scans) {
        Map<String, List<StreamedScan>> byParticipant = new LinkedHashMap<>();
        for (StreamedScan s : scans) byParticipant.computeIfAbsent(s.participantId(), p -> new ArrayList<>()).add(s);
        Map<String, ParticipantClaims> claims = new LinkedHashMap<>(store.claims(eventId, byParticipant.keySet()));
        for (String p : byParticipant.keySet()) claims.computeIfAbsent(p, id -> ParticipantClaims.none(eventId, id));

        Set<ClaimPage.Key> toRead = new LinkedHashSet<>();
        byParticipant.forEach((p, own) -> toRead.addAll(claims.get(p).pagesToRead(own)));
        attach(eventId, claims, toRead);
        List<Contribution> contributions = new ArrayList<>();
        for (StreamedScan s : scans) claims.get(s.participantId()).claim(s).ifPresent(contributions::add);

        Set<ClaimPage.Key> toMoveInto = new LinkedHashSet<>();
        for (ParticipantClaims p : claims.values()) toMoveInto.addAll(p.pagesToMoveInto());
        attach(eventId, claims, toMoveInto);
        for (ParticipantClaims p : claims.values()) p.moveOlderClaimsOut();
        store.saveClaims(claims.values().stream().filter(ParticipantClaims::changed).toList());
        return contributions;
    }

    /**
     * Step 1 for refusals of scans their gate let in (edge mismatches): each is claimed by scan id for the first
     * occurrence that reaches it, as an accepted scan is for its participant. The same occurrence again (a retry) is
     * counted again where a watermark says it is missing; another occurrence (a second publication) never is. One item
     * per refusal, apart from the participant's claims: a refusal changes no participant's state, and nothing bounds
     * how many a faulty gate can send for one badge.
     */
    private List<StreamedScan> claimRefusals(String eventId, List<StreamedScan> refusals) {
        if (refusals.isEmpty()) return List.of();
        Map<String, Occurrence> claimedBy = new java.util.HashMap<>(store.refusalClaims(eventId, refusals));
        List<StreamedScan> counted = new ArrayList<>();
        List<StreamedScan> toClaim = new ArrayList<>();
        for (StreamedScan s : refusals) {
            Occurrence by = claimedBy.putIfAbsent(s.scanId(), s.occurrence());
            if (by == null) toClaim.add(s);
            if (by == null || by.equals(s.occurrence())) counted.add(s);
        }
        store.saveRefusalClaims(eventId, toClaim);
        return counted;
    }

    private void attach(String eventId, Map<String, ParticipantClaims> claims, Collection<ClaimPage.Key> keys) {
        if (keys.isEmpty()) return;
        store.pages(eventId, keys).values().forEach(page -> claims.get(page.key().participantId()).attach(page));
    }

    /** After a write conflict: waits with jitter before the next attempt; gives up after {@value #MAX_CONFLICTS}. */
    static void afterConflict(int attempt, String what, Sleeper sleeper, RandomGenerator random) {
        if (attempt >= MAX_CONFLICTS) {
            throw new IllegalStateException(what + " kept changing under this writer " + MAX_CONFLICTS + " times");
        }
        sleeper.pause(CONFLICT_BACKOFF.delayBefore(attempt + 1, random));
    }

    /** @return the items written, or -1 when another writer changed one since it was read */
    private int write(String eventId, List<Aggregate> changed, EventAggregates aggs) {
        int written = 0;
        for (Aggregate a : changed) {
            if (!store.save(eventId, a)) return -1;
            written++;
        }
        if (aggs.overall.changed()) {
            if (!store.saveOverall(eventId, aggs)) return -1;
            written++;
        }
        return written;
    }

    private List<Gate> gates(String eventId, EventAggregates aggs, List<StreamedScan> scans) {
        Set<String> ids = new TreeSet<>(aggs.gates.keySet());
        for (StreamedScan s : scans) ids.add(s.gateId());
        ReferenceSet set = reference.lookup(ids.stream().map(id -> new ReferenceKey.OfGate(eventId, id)).toList());
        List<Gate> gates = new ArrayList<>();
        for (String id : ids) set.gate(eventId, id).ifPresent(gates::add);
        return gates;
    }
}
