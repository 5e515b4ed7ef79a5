package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics store's contract in memory: copies in and out, version-conditional writes. {@link #failAt} makes
 * the n-th write fail, either before it is made or after it was made (the caller sees an error either way).
 */
public class InMemoryStatisticsStore implements StatisticsStore {

    public enum When { BEFORE, AFTER }

    private final Map<String, ParticipantClaims> claims = new HashMap<>();
    private final Map<ClaimPage.Key, ClaimPage> pages = new HashMap<>();
    public final Map<String, StreamedScan> uncounted = new LinkedHashMap<>();
    /** What the status topic rule would have stored, by gate: read by {@link #everything} only, as in DynamoDB. */
    public final Map<String, GateHeartbeat> heartbeats = new HashMap<>();
    private final Map<String, Aggregate> aggregates = new TreeMap<>();
    private Map<String, AlertState> alertStates = new TreeMap<>();
    private final Map<String, Alert> outbox = new LinkedHashMap<>();
    public final Map<String, Alert> history = new LinkedHashMap<>();
    long active = 10;
    int writes;
    int failAt = -1;
    When when = When.BEFORE;

    private void write(Runnable change) {
        writes++;
        if (writes == failAt && when == When.BEFORE) throw new IllegalStateException("injected before write " + writes);
        change.run();
        if (writes == failAt && when == When.AFTER) throw new IllegalStateException("injected after write " + writes);
    }

    @Override
    public Map<String, ParticipantClaims> claims(String eventId, Collection<String> participantIds) {
        Map<String, ParticipantClaims> out = new HashMap<>();
        for (String p : participantIds) {
            ParticipantClaims c = claims.get(p);
            if (c != null) out.put(p, copy(c, c.version()));
        }
        return out;
    }

    private static ParticipantClaims copy(ParticipantClaims c, long version) {
        return new ParticipantClaims(c.eventId(), c.participantId(), version, c.state(), c.pagedBefore(), c.claims());
    }

    @Override
    public Map<ClaimPage.Key, ClaimPage> pages(String eventId, Collection<ClaimPage.Key> keys) {
        Map<ClaimPage.Key, ClaimPage> out = new HashMap<>();
        for (ClaimPage.Key k : keys) {
            ClaimPage p = pages.get(k);
            out.put(k, p == null ? ClaimPage.empty(k) : new ClaimPage(k, p.version(), p.claims()));
        }
        return out;
    }

    @Override
    public void saveClaims(Collection<ParticipantClaims> changed) {
        for (ParticipantClaims p : changed) {
            for (ClaimPage page : p.changedPages()) {
                ClaimPage stored = pages.get(page.key());
                if ((stored == null ? 0 : stored.version()) != page.version()) throw new IllegalStateException("conflict");
                write(() -> pages.put(page.key(), new ClaimPage(page.key(), page.version() + 1, page.claims())));
            }
        }
        for (ParticipantClaims p : changed) {
            ParticipantClaims stored = claims.get(p.participantId());
            if ((stored == null ? 0 : stored.version()) != p.version()) throw new IllegalStateException("conflict");
            write(() -> claims.put(p.participantId(), copy(p, p.version() + 1)));
        }
    }

    /** Refused edge mismatches claimed, by scan id (one item each in DynamoDB). */
    private final Map<String, Occurrence> refusalClaims = new HashMap<>();

    @Override
    public Map<String, Occurrence> refusalClaims(String eventId, Collection<StreamedScan> refusals) {
        Map<String, Occurrence> out = new HashMap<>();
        for (StreamedScan s : refusals) {
            Occurrence by = refusalClaims.get(s.scanId());
            if (by != null) out.put(s.scanId(), by);
        }
        return out;
    }

    @Override
    public void saveRefusalClaims(String eventId, Collection<StreamedScan> claimed) {
        for (StreamedScan s : claimed) {
            if (refusalClaims.containsKey(s.scanId())) throw new IllegalStateException("conflict");
            write(() -> refusalClaims.put(s.scanId(), s.occurrence()));
        }
    }

    @Override
    public EventAggregates aggregates(String eventId, Collection<String> hourKeys) {
        Map<String, Aggregate> gates = new TreeMap<>();
        Map<String, Aggregate> hours = new TreeMap<>();
        Aggregate overall = Aggregate.empty(Aggregate.OVERALL);
        for (Aggregate a : aggregates.values()) {
            Aggregate copy = new Aggregate(a.key(), a.version(), a.counters(), a.watermarks());
            if (a.key().equals(Aggregate.OVERALL)) overall = copy;
            else if (a.key().startsWith(Aggregate.GATE_PREFIX)) gates.put(a.key().substring(Aggregate.GATE_PREFIX.length()), copy);
            else hours.put(a.key(), copy);
        }
        var aggs = new EventAggregates(overall, gates, hours, alertStates, outbox);
        aggs.activeParticipants = active;
        return aggs;
    }

    @Override
    public EventStatistics everything(String eventId) {
        EventAggregates aggs = aggregates(eventId, List.of());
        aggs.heartbeats = Map.copyOf(heartbeats);
        return new EventStatistics(aggs, new ArrayList<>(history.values()));
    }

    @Override
    public void recordUncounted(String eventId, List<StreamedScan> scans, java.time.Instant at) {
        write(() -> scans.forEach(s -> uncounted.put(s.scanId(), s)));
    }

    @Override
    public boolean save(String eventId, Aggregate a) {
        Aggregate stored = aggregates.get(a.key());
        if ((stored == null ? 0 : stored.version()) != a.version()) return false;
        write(() -> aggregates.put(a.key(), new Aggregate(a.key(), a.version() + 1, a.counters(), a.watermarks())));
        return true;
    }

    @Override
    public boolean saveOverall(String eventId, EventAggregates aggs) {
        if (!save(eventId, aggs.overall)) return false;
        alertStates = new TreeMap<>(aggs.alertStates);
        outbox.clear();
        outbox.putAll(aggs.outbox);
        return true;
    }

    @Override
    public long activeParticipants(String eventId) {
        return active;
    }

    @Override
    public void recordAlert(Alert alert) {
        write(() -> history.put(alert.id(), alert));
    }

    @Override
    public void delivered(String eventId, Collection<String> alertIds) {
        write(() -> {
            alertIds.forEach(outbox::remove);
            Aggregate o = aggregates.get(Aggregate.OVERALL);
            aggregates.put(Aggregate.OVERALL, new Aggregate(o.key(), o.version() + 1, o.counters(), o.watermarks()));
        });
    }

    /** Every counter of every aggregate, for comparing two runs. */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        aggregates.forEach((k, a) -> {
            Map<String, Long> c = new TreeMap<>(a.counters());
            c.remove(StatisticsSnapshot.UPDATED_AT);
            c.remove(StatisticsSnapshot.CHANGES); // counts writes, not scans: depends on the batch boundaries
            out.put(k, c);
        });
        return out;
    }

    List<String> outboxIds() {
        return new ArrayList<>(outbox.keySet());
    }


    /** The stored claim items and pages, for size bounds. */
    Map<String, ParticipantClaims> storedClaims() {
        return claims;
    }

    Map<ClaimPage.Key, ClaimPage> storedPages() {
        return pages;
    }
}
