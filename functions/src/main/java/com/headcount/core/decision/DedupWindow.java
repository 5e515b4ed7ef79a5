package com.headcount.core.decision;

import com.headcount.core.scan.Scan;
import java.time.Instant;

/**
 * Rule 6: at most one accepted scan per participant, gate and direction within five minutes of event time.
 * The store makes each claim atomic, so two deliveries racing on two instances cannot both win.
 */
public interface DedupWindow {

    /**
     * Claims the window around the scan's time for it. Claiming again for the same scan id succeeds again,
     * so a retried delivery gets the same answer.
     */
    Claim claim(Scan scan, Instant now);

    /** Gives a claim back; used when another delivery of the same scan was decided otherwise first. */
    void release(Scan scan);

    sealed interface Claim {}

    record Claimed() implements Claim {}

    /** Another accepted scan is within the window: this one is its duplicate. */
    record HeldBy(String scanId, Instant scannedAt) implements Claim {}
}
