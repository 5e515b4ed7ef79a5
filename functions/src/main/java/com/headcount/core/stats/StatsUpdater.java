package com.headcount.core.stats;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts one batch of `attendance-recorded` (one shard, in sequence order) into the statistics, exactly once.
 *
 * <p>Per event: (1) claim each scan on its participant's item and write the changed participant items; (2) read the
 * aggregates, add the claimed scans each aggregate lacks, evaluate the alerts, write each changed aggregate once
 * (conditional on its version; on a conflict with another shard's batch, read again and redo: the watermarks make
 * the redo add only what is still missing); (3) deliver the alerts in the outbox, then mark them delivered;
 * (4) publish the snapshot if the last publication is at least {@code publishInterval} old.
 *
 * <p>Any failure is thrown: Lambda retries the batch (or its halves) and every step above is safe to repeat.
 */
public final class StatsUpdater {

    static final int MAX_CONFLICTS = 8;

    private final ReferenceData reference;
    private final StatisticsStore store;
    private final List<AlertChannel> channels;
    private final StatisticsView view;
    private final SnapshotPublisher publisher;
    private final Duration publishInterval;
    private final Clock clock;

    public StatsUpdater(ReferenceData reference, StatisticsStore store, List<AlertChannel> channels,
                        StatisticsView view, SnapshotPublisher publisher, Duration publishInterval, Clock clock) {
        this.reference = reference;
        this.store = store;
        this.channels = List.copyOf(channels);
        this.view = view;
        this.publisher = publisher;
        this.publishInterval = publishInterval;
        this.clock = clock;
    }

    /** What a batch did, for the handler's log line. */
    public record BatchResult(int scans, int counted, int otherPublications, int aggregatesWritten, int alertsRaised,
                              int snapshotsPublished) {}

    /** @param lastSequence the batch's highest sequence number (the new watermark of what it changes) */
    public BatchResult apply(String shardId, BigInteger lastSequence, List<StreamedScan> scans) {
        Map<String, List<StreamedScan>> byEvent = new LinkedHashMap<>();
        for (StreamedScan s : scans) byEvent.computeIfAbsent(s.eventId(), e -> new ArrayList<>()).add(s);
        int counted = 0, foreign = 0, written = 0, raised = 0, published = 0;
        for (var entry : byEvent.entrySet()) {
            EventResult r = applyEvent(entry.getKey(), entry.getValue(), shardId, lastSequence);
            counted += r.counted;
            foreign += entry.getValue().size() - r.counted;
            written += r.written;
            raised += r.raised;
            published += r.published ? 1 : 0;
        }
        return new BatchResult(scans.size(), counted, foreign, written, raised, published);
    }

    private record EventResult(int counted, int written, int raised, boolean published) {}

    private EventResult applyEvent(String eventId, List<StreamedScan> scans, String shardId, BigInteger lastSequence) {
        Optional<AttendanceEvent> found = reference.lookup(List.of(new ReferenceKey.OfEvent(eventId))).event(eventId);
        // an accepted scan always has its event; a deleted event cannot be counted and must not block the shard
        if (found.isEmpty()) return new EventResult(0, 0, 0, false);
        AttendanceEvent event = found.get();

        // 1. claims, participant by participant, in stream order
        Set<String> participants = new LinkedHashSet<>();
        for (StreamedScan s : scans) participants.add(s.participantId());
        Map<String, ParticipantClaims> claims = store.claims(eventId, participants);
        List<Contribution> contributions = new ArrayList<>();
        for (StreamedScan s : scans) {
            ParticipantClaims p = claims.computeIfAbsent(s.participantId(), id -> ParticipantClaims.none(eventId, id));
            p.claim(s).ifPresent(contributions::add);
        }
        store.saveClaims(claims.values().stream().filter(ParticipantClaims::changed).toList());

        // 2. aggregates, once per batch each
        Set<String> hourKeys = new TreeSet<>();
        for (Contribution c : contributions) hourKeys.add(Figures.hourKey(c.scan().scannedAt(), event.timeZone()));
        Instant doorsOpen = event.start().minus(com.headcount.core.forecast.EventWindow.DOORS_OPEN_BEFORE_START);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            EventAggregates aggs = store.aggregates(eventId, hourKeys);
            List<Aggregate> changed = Aggregation.apply(aggs, contributions, event.timeZone(), doorsOpen, shardId,
                    lastSequence, now);
            if (aggs.overall.changed()) aggs.overall.max(StatisticsSnapshot.UPDATED_AT, now.toEpochMilli());
            List<Alert> raised = AlertRules.evaluate(aggs, event, gates(eventId, aggs, scans),
                    aggs.activeParticipants != null ? aggs.activeParticipants : store.activeParticipants(eventId), now);
            boolean publish = aggs.overall.changed()
                    && (aggs.lastPublished == null || !now.isBefore(aggs.lastPublished.plus(publishInterval)));
            if (publish) aggs.lastPublished = now;

            boolean conflict = false;
            int written = 0;
            for (Aggregate a : changed) {
                if (!store.save(eventId, a)) {
                    conflict = true;
                    break;
                }
                written++;
            }
            if (!conflict && aggs.overall.changed()) {
                conflict = !store.saveOverall(eventId, aggs);
                if (!conflict) written++;
            }
            if (conflict) {
                if (attempt == MAX_CONFLICTS) throw new IllegalStateException("aggregates of " + eventId
                        + " kept changing under this batch " + MAX_CONFLICTS + " times");
                continue;
            }

            // 3. alerts decided now or earlier and not yet delivered
            deliver(eventId, aggs.outbox.values());
            // 4. at most one snapshot per interval per event
            boolean published = false;
            if (publish) {
                Optional<Map<String, Object>> snapshot = view.snapshot(eventId);
                if (snapshot.isPresent()) {
                    publisher.publish(eventId, snapshot.get());
                    published = true;
                }
            }
            return new EventResult(contributions.size(), written, raised.size(), published);
        }
    }

    private List<Gate> gates(String eventId, EventAggregates aggs, List<StreamedScan> scans) {
        Set<String> ids = new TreeSet<>(aggs.gates.keySet());
        for (StreamedScan s : scans) ids.add(s.gateId());
        ReferenceSet set = reference.lookup(ids.stream().map(id -> new ReferenceKey.OfGate(eventId, id)).toList());
        List<Gate> gates = new ArrayList<>();
        for (String id : ids) set.gate(eventId, id).ifPresent(gates::add);
        return gates;
    }

    private void deliver(String eventId, java.util.Collection<Alert> outbox) {
        if (outbox.isEmpty()) return;
        List<String> ids = new ArrayList<>();
        for (Alert alert : outbox) {
            store.recordAlert(alert);
            for (AlertChannel channel : channels) channel.send(alert);
            ids.add(alert.id());
        }
        store.delivered(eventId, ids);
    }
}
