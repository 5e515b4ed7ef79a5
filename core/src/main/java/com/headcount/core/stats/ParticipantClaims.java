package com.headcount.core.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the statistics know of one participant of one event: their state (attended, and their latest accepted scan,
 * which says whether they are inside) and the scans counted for them, each with the occurrence that claimed it and
 * the deltas it contributed. Stored as one bounded item plus overflow pages.
 *
 * <p>Exactly-once, participant side: a scan id is claimed by the first occurrence that reaches it. The same occurrence
 * seen again (Lambda retrying a batch) finds its own claim and gets its stored contribution back; another occurrence of
 * the same scan id (a second publication) finds a foreign claim and contributes nothing.
 *
 * <p>The state is a join: applying a scan sets attended if it is an entry and keeps the later of (latest, scan) by
 * scan time, scan id breaking ties. Applying a scan twice, or in another order, gives the same state, so every scan
 * is folded in whether it is new, retried or repeated, and a scan's deltas are the state's change when it is new.
 *
 * <p>Bounded: the item keeps at most {@value #INLINE_MAX} claims. When a batch leaves more, the older ones move to
 * {@link ClaimPage}s (per gate and hour of scan time) and {@code pagedBefore} rises past them: a claim is then found
 * in the item, or, if its scan time is before {@code pagedBefore}, in its page. Pages are written before the item, so
 * a crash between leaves the item as it was read, and a retry finds every claim where the old item says it is (moved
 * claims are still inline in it; new ones are recomputed from the same state in the same order, so with the same
 * deltas).
 */
public final class ParticipantClaims {

    /** The item holds at most this many claims; a participant scanned once or twice never has a page. */
    public static final int INLINE_MAX = 16;
    /** After moving claims out, fewer than this many stay in the item, so a move happens every few batches at most. */
    public static final int INLINE_KEEP = 8;
    public static final long NOTHING_PAGED = Long.MIN_VALUE;

    /**
     * One counted scan. {@code gateId} and the scan time say which page it moves to; null only in items written before
     * pages existed (such claims stay in the item).
     */
    public record Claim(String occurrence, long scannedAtMillis, boolean entry, String gateId, int attendedDelta,
                        int insideDelta) {}

    /** The participant's state: attended at least once, and their latest accepted scan (null scan id: none yet). */
    public record State(boolean attended, long latestAt, String latestScanId, boolean latestEntry) {

        public static final State NONE = new State(false, 0, null, false);

        boolean inside() {
            return latestScanId != null && latestEntry;
        }

        State with(long at, String scanId, boolean entry) {
            boolean later = latestScanId == null || at > latestAt
                    || (at == latestAt && scanId.compareTo(latestScanId) > 0);
            return new State(attended || entry, later ? at : latestAt, later ? scanId : latestScanId,
                    later ? entry : latestEntry);
        }

        /** The state of a set of claims, for items written before the state was kept. */
        public static State of(Map<String, Claim> claims) {
            State s = NONE;
            for (var e : claims.entrySet()) s = s.with(e.getValue().scannedAtMillis(), e.getKey(), e.getValue().entry());
            return s;
        }
    }

    private final String eventId;
    private final String participantId;
    private final long version;
    private State state;
    private long pagedBefore;
    private final Map<String, Claim> inline;
    private final Map<ClaimPage.Key, ClaimPage> pages = new LinkedHashMap<>();
    private boolean changed;

    public ParticipantClaims(String eventId, String participantId, long version, State state, long pagedBefore,
                             Map<String, Claim> inline) {
        this.eventId = eventId;
        this.participantId = participantId;
        this.version = version;
        this.state = state;
        this.pagedBefore = pagedBefore;
        this.inline = new LinkedHashMap<>(inline);
    }

    public static ParticipantClaims none(String eventId, String participantId) {
        return new ParticipantClaims(eventId, participantId, 0, State.NONE, NOTHING_PAGED, Map.of());
    }

    /** The pages these scans must be looked up in that are not attached yet. */
    public Set<ClaimPage.Key> pagesToRead(Collection<StreamedScan> scans) {
        Set<ClaimPage.Key> keys = new LinkedHashSet<>();
        for (StreamedScan s : scans) {
            if (!inline.containsKey(s.scanId()) && s.scannedAt().toEpochMilli() < pagedBefore) {
                ClaimPage.Key key = pageOf(s.gateId(), s.scannedAt().toEpochMilli());
                if (!pages.containsKey(key)) keys.add(key);
            }
        }
        return keys;
    }

    /** A page as read (or empty when it does not exist yet). */
    public void attach(ClaimPage page) {
        pages.putIfAbsent(page.key(), page);
    }

    /** Empty when another occurrence already counted this scan. */
    public Optional<Contribution> claim(StreamedScan scan) {
        long at = scan.scannedAt().toEpochMilli();
        Claim existing = inline.get(scan.scanId());
        ClaimPage page = null;
        if (existing == null && at < pagedBefore) {
            page = attached(pageOf(scan.gateId(), at));
            existing = page.get(scan.scanId());
        }
        State before = state;
        state = state.with(at, scan.scanId(), scan.isEntry());
        if (!state.equals(before)) changed = true;
        if (existing != null) {
            if (!existing.occurrence().equals(scan.occurrence().toString())) return Optional.empty();
            return Optional.of(new Contribution(scan, existing.attendedDelta(), existing.insideDelta()));
        }
        int attendedDelta = (state.attended() ? 1 : 0) - (before.attended() ? 1 : 0);
        int insideDelta = (state.inside() ? 1 : 0) - (before.inside() ? 1 : 0);
        Claim claim = new Claim(scan.occurrence().toString(), at, scan.isEntry(), scan.gateId(), attendedDelta,
                insideDelta);
        if (page != null) {
            page.put(scan.scanId(), claim);
        } else {
            inline.put(scan.scanId(), claim);
        }
        changed = true;
        return Optional.of(new Contribution(scan, attendedDelta, insideDelta));
    }

    /**
     * When the item holds more than {@value #INLINE_MAX} claims: the pages the older ones would move to that are not
     * attached yet. Empty otherwise.
     */
    public Set<ClaimPage.Key> pagesToMoveInto() {
        Set<ClaimPage.Key> keys = new LinkedHashSet<>();
        for (var e : toMove(newPagedBefore()).entrySet()) {
            ClaimPage.Key key = pageOf(e.getValue().gateId(), e.getValue().scannedAtMillis());
            if (!pages.containsKey(key)) keys.add(key);
        }
        return keys;
    }

    /** Moves the older claims out when the item holds more than {@value #INLINE_MAX}; their pages must be attached. */
    public void moveOlderClaimsOut() {
        long raised = newPagedBefore();
        if (raised == pagedBefore) return;
        for (var e : toMove(raised).entrySet()) {
            attached(pageOf(e.getValue().gateId(), e.getValue().scannedAtMillis())).put(e.getKey(), e.getValue());
            inline.remove(e.getKey());
        }
        pagedBefore = raised;
        changed = true;
    }

    /**
     * Just after the scan time of the {@value #INLINE_KEEP}-th latest claim, so fewer than that many stay; it only
     * rises, since every claim in the item is at or after the current bound.
     */
    private long newPagedBefore() {
        List<Claim> movable = new ArrayList<>();
        for (Claim c : inline.values()) if (c.gateId() != null) movable.add(c);
        if (inline.size() <= INLINE_MAX || movable.size() < INLINE_KEEP) return pagedBefore;
        movable.sort(Comparator.comparingLong(Claim::scannedAtMillis).reversed());
        return Math.max(pagedBefore, movable.get(INLINE_KEEP - 1).scannedAtMillis() + 1);
    }

    private Map<String, Claim> toMove(long bound) {
        Map<String, Claim> out = new LinkedHashMap<>();
        if (bound == pagedBefore) return out;
        inline.forEach((id, c) -> {
            if (c.gateId() != null && c.scannedAtMillis() < bound) out.put(id, c);
        });
        return out;
    }

    private ClaimPage.Key pageOf(String gateId, long scannedAtMillis) {
        return ClaimPage.Key.of(participantId, gateId, scannedAtMillis);
    }

    private ClaimPage attached(ClaimPage.Key key) {
        ClaimPage page = pages.get(key);
        if (page == null) throw new IllegalStateException("claim page " + key + " was not read before claiming");
        return page;
    }

    /** At least one accepted entry. */
    public boolean attended() {
        return state.attended();
    }

    /** The latest accepted scan, by scan time, is an entry: a late-uploaded older scan does not change it. */
    public boolean inside() {
        return state.inside();
    }

    public String eventId() {
        return eventId;
    }

    public String participantId() {
        return participantId;
    }

    /** The version it was read at (0: not stored yet); the write is conditional on it. */
    public long version() {
        return version;
    }

    public boolean changed() {
        return changed;
    }

    public State state() {
        return state;
    }

    public long pagedBefore() {
        return pagedBefore;
    }

    public Map<String, Claim> claims() {
        return Collections.unmodifiableMap(inline);
    }

    /** Pages this batch changed: written before the item. */
    public List<ClaimPage> changedPages() {
        return pages.values().stream().filter(ClaimPage::changed).toList();
    }
}
