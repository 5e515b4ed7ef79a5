package com.headcount.core.decision.window;

import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.Objects;

/**
 * What one bucket of a block item holds: the accepted (or being accepted) scan's id and time. An edge claim also
 * carries when it was made ({@code claimedAt}, epoch millis, null otherwise), so a pending one left by a delivery that
 * died can be told from one still being settled; its mirror carries the same stamp.
 */
public record Slot(String scanId, Instant at, Long claimedAt) {

    public Slot {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(at, "at");
    }

    /** Whether this slot is the claim of exactly this scan id at exactly this time. */
    public boolean names(String id, Instant time) {
        return scanId.equals(id) && at.equals(time);
    }

    public boolean names(Scan scan) {
        return names(scan.scanId(), scan.scannedAt());
    }
}
