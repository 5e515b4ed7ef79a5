package com.headcount.core.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The claims of one participant at one gate within one hour of scan time, moved out of the participant's item when
 * it filled up (see {@link ParticipantClaims}).
 *
 * <p>Bounded by the decision rule: two accepted scans of a participant at a gate in one direction are more than five
 * minutes apart, so an hour holds at most 12 per direction, 24 in all, whatever the event's length.
 */
public final class ClaimPage {

    /** The hour is the start of the scan-time hour in epoch milliseconds (UTC hours: pages never need a zone). */
    public record Key(String participantId, String gateId, long hourStartMillis) {

        public Key {
            Objects.requireNonNull(participantId, "participantId");
            Objects.requireNonNull(gateId, "gateId");
        }

        public static Key of(String participantId, String gateId, long scannedAtMillis) {
            return new Key(participantId, gateId, Math.floorDiv(scannedAtMillis, HOUR_MILLIS) * HOUR_MILLIS);
        }
    }

    public static final long HOUR_MILLIS = 3_600_000L;
    /** What the decision rule allows in one page (12 an hour in each direction). */
    public static final int MAX_CLAIMS = 24;

    private final Key key;
    private final long version;
    private final Map<String, ParticipantClaims.Claim> claims;
    private boolean changed;

    public ClaimPage(Key key, long version, Map<String, ParticipantClaims.Claim> claims) {
        this.key = Objects.requireNonNull(key, "key");
        this.version = version;
        this.claims = new LinkedHashMap<>(claims);
    }

    public static ClaimPage empty(Key key) {
        return new ClaimPage(key, 0, Map.of());
    }

    ParticipantClaims.Claim get(String scanId) {
        return claims.get(scanId);
    }

    void put(String scanId, ParticipantClaims.Claim claim) {
        if (!claim.equals(claims.put(scanId, claim))) changed = true;
    }

    public Key key() {
        return key;
    }

    /** The version it was read at (0: not stored yet); the write is conditional on it. */
    public long version() {
        return version;
    }

    public boolean changed() {
        return changed;
    }

    public Map<String, ParticipantClaims.Claim> claims() {
        return Collections.unmodifiableMap(claims);
    }
}
