package com.headcount.core.decision;

import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.Collection;

/**
 * Rule 6: at most one accepted scan per participant, gate and direction within five minutes of event time.
 * The store makes each claim atomic, so two deliveries racing on two instances cannot both win.
 *
 * <p>Invariant the decision keeps with it: once a scan's delivery is finished, every claim in the window names a scan
 * whose stored outcome is that same scan, accepted. A claim whose scan ended otherwise (another body stored first
 * under its id, a rule that refuses it now, a store that refused its outcome) is released by that delivery, or, if
 * the delivery failed before it could, by the scan's next delivery, which finds it in {@link Batch#claimedBy}.
 */
public interface DedupWindow {

    /** Reads the windows of these scans for one batch, decided at {@code now}: one batched, strongly consistent read. */
    Batch open(Collection<Scan> scans, Instant now);

    /** One batch's view of the windows; scans of one participant, gate and direction use it one at a time, in order. */
    interface Batch {

        /**
         * What keeps this scan from claiming, as read or written by this batch: the accepted scan (another id) within
         * five minutes of it ({@link HeldBy}), or a claim of its id for another body ({@link OtherBody}); null if
         * nothing does.
         */
        Claim holder(Scan scan);

        /** Whether the window holds a claim of exactly this scan (id and time), e.g. left by an earlier delivery. */
        boolean claimedBy(Scan scan);

        /**
         * Claims the window around the scan's time for it. Claiming again for the same scan succeeds again, so a
         * retried delivery gets the same answer. A claim never moves or removes another body's claim of the same id.
         *
         * @param scansEnd the last moment the event takes scans: the claim is kept at least until then (and a
         *                 retention after it, for late uploads), in event time, however late it was made
         */
        Claim claim(Scan scan, Instant scansEnd);

        /** Gives this scan's claim back, if the window still holds it. */
        void release(Scan scan);
    }

    sealed interface Claim {}

    record Claimed() implements Claim {}

    /** Another accepted scan is within the window: this one is its duplicate. */
    record HeldBy(String scanId, Instant scannedAt) implements Claim {}

    /**
     * The scan's id is claimed in its window for another body (another time): two bodies under one id. The first
     * keeps the id and its claim; this one claims nothing and is refused (see {@code Gatekeeper}).
     */
    record OtherBody(Instant claimedFor) implements Claim {}
}
