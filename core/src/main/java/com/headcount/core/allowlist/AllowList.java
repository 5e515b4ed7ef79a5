package com.headcount.core.allowlist;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.scan.IdRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One event's allow-list: everything a gate needs to decide its own scans the way the cloud would (rules 2 to 5 of
 * docs/architecture.md, "How a scan is decided"), as one versioned snapshot. It holds the event's window and clock-skew
 * tolerance, the event's gates (a gate uses its own record; the few others cost a few bytes and let one object serve
 * every gate of the event), each participant's id and status, and the {@link EdgePolicy}.
 *
 * <p>Immutable. Participants are kept as one sorted array of ids and one byte per participant naming its status, not as
 * a map of records: at 100 000 participants that is a few megabytes of heap on a gate rather than tens, and a look-up
 * is a binary search (17 comparisons). It is the gate's {@link ReferenceData}, so the same {@code ScanRules} run on it.
 *
 * <p>Its serialised form, hash and deltas are {@link AllowListCodec} and {@link AllowListDelta}.
 */
public final class AllowList implements ReferenceData {

    private final AttendanceEvent event;
    private final long version;
    private final Instant issuedAt;
    private final EdgePolicy policy;
    private final List<Gate> gates;
    private final String[] ids;
    private final byte[] statusOf;
    private final String[] statuses;

    AllowList(AttendanceEvent event, long version, Instant issuedAt, EdgePolicy policy, List<Gate> gates,
              String[] ids, byte[] statusOf, String[] statuses) {
        this.event = Objects.requireNonNull(event, "event");
        this.version = version;
        this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
        this.policy = Objects.requireNonNull(policy, "policy");
        // a gate's name is not carried (it decides nothing): kept as its id, so a list equals its own serialised form
        this.gates = gates.stream().map(g -> new Gate(g.eventId(), g.gateId(), g.gateId(), g.active(),
                g.capacityPerMinute())).toList();
        this.ids = ids;
        this.statusOf = statusOf;
        this.statuses = statuses;
        if (version < 1) throw new IllegalArgumentException("an allow-list's version starts at 1");
        if (statuses.length > Byte.MAX_VALUE) throw new IllegalArgumentException("too many distinct statuses");
        for (String s : statuses) requireToken(s, "status");
        for (Gate g : gates) {
            if (!g.eventId().equals(event.eventId())) throw new IllegalArgumentException("gate of another event: " + g);
        }
    }

    /**
     * The snapshot of an event's reference data as it stands.
     *
     * @param version only grows: a gate never replaces its list by an older one
     */
    public static AllowList of(AttendanceEvent event, long version, Instant issuedAt, EdgePolicy policy,
                               Collection<Gate> gates, Collection<Participant> participants) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Participant p : participants) {
            if (!p.eventId().equals(event.eventId())) throw new IllegalArgumentException("participant of another event: " + p);
            sorted.put(p.participantId(), p.status());
        }
        return fromSorted(event, version, issuedAt, policy, gates, sorted);
    }

    static AllowList fromSorted(AttendanceEvent event, long version, Instant issuedAt, EdgePolicy policy,
                                Collection<Gate> gates, TreeMap<String, String> participants) {
        String[] statuses = new TreeSet<>(participants.values()).toArray(String[]::new);
        Map<String, Byte> index = new HashMap<>();
        for (int i = 0; i < statuses.length; i++) index.put(statuses[i], (byte) i);
        String[] ids = new String[participants.size()];
        byte[] statusOf = new byte[participants.size()];
        int i = 0;
        for (var e : participants.entrySet()) {
            requireId(e.getKey());
            ids[i] = e.getKey();
            statusOf[i++] = index.get(e.getValue());
        }
        List<Gate> sortedGates = new ArrayList<>(gates);
        sortedGates.sort(Comparator.comparing(Gate::gateId));
        return new AllowList(event, version, issuedAt, policy, sortedGates, ids, statusOf, statuses);
    }

    public String eventId() {
        return event.eventId();
    }

    public AttendanceEvent event() {
        return event;
    }

    public long version() {
        return version;
    }

    /** When the cloud built this version: what it reflects. */
    public Instant issuedAt() {
        return issuedAt;
    }

    public EdgePolicy policy() {
        return policy;
    }

    public List<Gate> gates() {
        return gates;
    }

    public int participantCount() {
        return ids.length;
    }

    public Optional<Participant> participant(String participantId) {
        int at = Arrays.binarySearch(ids, participantId);
        return at < 0 ? Optional.empty() : Optional.of(new Participant(event.eventId(), ids[at], statuses[statusOf[at]]));
    }

    public Optional<Gate> gate(String gateId) {
        for (Gate g : gates) {
            if (g.gateId().equals(gateId)) return Optional.of(g);
        }
        return Optional.empty();
    }

    /** Answers only for this list's event: any other event's keys are absent, as an unknown key is in any store. */
    @Override
    public ReferenceSet lookup(Collection<? extends ReferenceKey> keys) {
        Map<ReferenceKey, Object> found = new HashMap<>();
        for (ReferenceKey key : keys) {
            if (!key.eventId().equals(event.eventId())) continue;
            Optional<?> value = switch (key) {
                case ReferenceKey.OfEvent e -> Optional.of(event);
                case ReferenceKey.OfGate g -> gate(g.gateId());
                case ReferenceKey.OfParticipant p -> participant(p.participantId());
            };
            value.ifPresent(v -> found.put(key, v));
        }
        return new ReferenceSet(found);
    }

    /** For the codec and deltas: the participants in id order. */
    String idAt(int i) {
        return ids[i];
    }

    String statusAt(int i) {
        return statuses[statusOf[i]];
    }

    String[] statuses() {
        return statuses.clone();
    }

    byte statusIndexAt(int i) {
        return statusOf[i];
    }

    static void requireId(String id) {
        if (!IdRule.valid(id)) throw new IllegalArgumentException("not a valid id: '" + id + "'");
    }

    static void requireToken(String s, String what) {
        if (s == null || s.isEmpty() || s.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(what + " must be a word without spaces: '" + s + "'");
        }
    }

    /** Same content, whatever the instance: two lists with the same version and hash are the same list. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AllowList other && version == other.version
                && Arrays.equals(AllowListCodec.canonical(this), AllowListCodec.canonical(other));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + event.eventId().hashCode();
    }

    @Override
    public String toString() {
        return "AllowList[" + event.eventId() + " v" + version + ", " + ids.length + " participants, " + gates.size()
                + " gates, issued " + issuedAt + "]";
    }
}
