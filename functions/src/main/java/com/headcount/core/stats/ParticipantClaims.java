package com.headcount.core.stats;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The scans counted for one participant of one event, each with the occurrence that claimed it and the deltas it
 * contributed. Stored as one item; written once per batch that adds a claim.
 *
 * <p>Exactly-once, participant side: a scan id is claimed by the first occurrence that reaches it. The same occurrence
 * seen again (Lambda retrying a batch) finds its own claim and gets its stored contribution back; another occurrence of
 * the same scan id (a second publication) finds a foreign claim and contributes nothing.
 */
public final class ParticipantClaims {

    /** One counted scan. {@code scannedAtMillis} and {@code entry} are what occupancy is derived from. */
    public record Claim(String occurrence, long scannedAtMillis, boolean entry, int attendedDelta, int insideDelta) {}

    // latest by scan time; the scan id breaks ties so every replica agrees on the order
    private static final Comparator<Map.Entry<String, Claim>> LATEST = Comparator
            .comparingLong((Map.Entry<String, Claim> e) -> e.getValue().scannedAtMillis())
            .thenComparing(Map.Entry::getKey);

    private final String eventId;
    private final String participantId;
    private final long version;
    private final Map<String, Claim> claims;
    private boolean changed;

    public ParticipantClaims(String eventId, String participantId, long version, Map<String, Claim> claims) {
        this.eventId = eventId;
        this.participantId = participantId;
        this.version = version;
        this.claims = new LinkedHashMap<>(claims);
    }

    public static ParticipantClaims none(String eventId, String participantId) {
        return new ParticipantClaims(eventId, participantId, 0, Map.of());
    }

    /** Empty when another occurrence already counted this scan. */
    public Optional<Contribution> claim(StreamedScan scan) {
        Claim existing = claims.get(scan.scanId());
        if (existing != null) {
            if (!existing.occurrence().equals(scan.occurrence().toString())) return Optional.empty();
            return Optional.of(new Contribution(scan, existing.attendedDelta(), existing.insideDelta()));
        }
        boolean attendedBefore = attended();
        boolean insideBefore = inside();
        claims.put(scan.scanId(), new Claim(scan.occurrence().toString(), scan.scannedAt().toEpochMilli(),
                scan.isEntry(), 0, 0));
        int attendedDelta = (attended() ? 1 : 0) - (attendedBefore ? 1 : 0);
        int insideDelta = (inside() ? 1 : 0) - (insideBefore ? 1 : 0);
        claims.put(scan.scanId(), new Claim(scan.occurrence().toString(), scan.scannedAt().toEpochMilli(),
                scan.isEntry(), attendedDelta, insideDelta));
        changed = true;
        return Optional.of(new Contribution(scan, attendedDelta, insideDelta));
    }

    /** At least one accepted entry. */
    public boolean attended() {
        return claims.values().stream().anyMatch(Claim::entry);
    }

    /** The latest accepted scan, by scan time, is an entry: a late-uploaded older scan does not change it. */
    public boolean inside() {
        return claims.entrySet().stream().max(LATEST).map(e -> e.getValue().entry()).orElse(false);
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

    public Map<String, Claim> claims() {
        return Collections.unmodifiableMap(claims);
    }
}
