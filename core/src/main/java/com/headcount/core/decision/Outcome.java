package com.headcount.core.decision;

import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What was decided for one scan, as it is stored and told back to the gate. Every scan gets one,
 * rejects and duplicates too.
 *
 * @param sourceId   where the message came from (e.g. a Kinesis shard and sequence number); the storage key of
 *                   malformed messages, which may have no usable scan id
 * @param scan       the scan as decided; null only for malformed messages
 * @param scanId     ids as far as they could be read (all set unless malformed)
 * @param reason     set for rejections only
 * @param detail     for rejections, what exactly was wrong (e.g. which field)
 * @param firstScanId    for duplicates, the accepted scan this one repeats
 * @param firstScannedAt for duplicates, when that accepted scan was made
 * @param provisional    what the gate showed when it decided on its own (issue 18), or null when it did not
 */
public record Outcome(
        String sourceId,
        Scan scan,
        String scanId,
        String eventId,
        String participantId,
        String gateId,
        Verdict verdict,
        RejectReason reason,
        String detail,
        String firstScanId,
        Instant firstScannedAt,
        Instant receivedAt,
        Instant decidedAt,
        Provisional provisional) {

    /** Without a gate's provisional verdict. */
    public Outcome(String sourceId, Scan scan, String scanId, String eventId, String participantId, String gateId,
                   Verdict verdict, RejectReason reason, String detail, String firstScanId, Instant firstScannedAt,
                   Instant receivedAt, Instant decidedAt) {
        this(sourceId, scan, scanId, eventId, participantId, gateId, verdict, reason, detail, firstScanId,
                firstScannedAt, receivedAt, decidedAt, null);
    }

    public Outcome {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(decidedAt, "decidedAt");
        if ((verdict == Verdict.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a reason goes with rejections and only with them");
        }
        if (verdict == Verdict.DUPLICATE && (firstScanId == null || firstScannedAt == null)) {
            throw new IllegalArgumentException("a duplicate names the scan it repeats");
        }
        if (scan == null && !refusedUnread(reason)) {
            throw new IllegalArgumentException("only malformed and mismatched outcomes come without a scan");
        }
    }

    public static Outcome accepted(String sourceId, Scan scan, Instant receivedAt, Instant decidedAt) {
        return ofScan(sourceId, scan, Verdict.ACCEPTED, null, null, null, null, receivedAt, decidedAt);
    }

    public static Outcome duplicate(String sourceId, Scan scan, String firstScanId, Instant firstScannedAt,
                                    Instant receivedAt, Instant decidedAt) {
        return ofScan(sourceId, scan, Verdict.DUPLICATE, null, null, firstScanId, firstScannedAt, receivedAt, decidedAt);
    }

    public static Outcome rejected(String sourceId, Scan scan, RejectReason reason, String detail,
                                   Instant receivedAt, Instant decidedAt) {
        return ofScan(sourceId, scan, Verdict.REJECTED, reason, detail, null, null, receivedAt, decidedAt);
    }

    public static Outcome malformed(String sourceId, ParsedScan.Malformed message, Instant receivedAt,
                                    Instant decidedAt) {
        return new Outcome(sourceId, null, message.scanId(), message.eventId(), message.participantId(),
                message.gateId(), Verdict.REJECTED, RejectReason.MALFORMED, message.problem(), null, null,
                receivedAt, decidedAt);
    }

    /**
     * A scan for another gate than its topic's. Stored by source, under the topic's event and gate and without the
     * scan: it must not appear in, or take anything from, the event and gate it names.
     */
    public static Outcome mismatched(String sourceId, ParsedScan.ForeignTopic message, Instant receivedAt,
                                     Instant decidedAt) {
        return new Outcome(sourceId, null, message.scan().scanId(), message.topicEventId(),
                message.scan().participantId(), message.topicGateId(), Verdict.REJECTED, RejectReason.TOPIC_MISMATCH,
                message.problem(), null, null, receivedAt, decidedAt);
    }

    /** The scan's essentials only (ids, time, method, direction): what can be stored when the scan as sent could not. */
    public static Outcome unprocessable(String sourceId, Scan scan, String detail, Instant receivedAt,
                                        Instant decidedAt) {
        return rejected(sourceId, scan.essentials(), RejectReason.UNPROCESSABLE, detail, receivedAt, decidedAt);
    }

    /** Outcomes decided before (or without) the scan's content: stored by where they came from, not by scan id. */
    public static boolean refusedUnread(RejectReason reason) {
        return reason == RejectReason.MALFORMED || reason == RejectReason.TOPIC_MISMATCH;
    }

    private static Outcome ofScan(String sourceId, Scan scan, Verdict verdict, RejectReason reason, String detail,
                                  String firstScanId, Instant firstScannedAt, Instant receivedAt, Instant decidedAt) {
        return new Outcome(sourceId, scan, scan.scanId(), scan.eventId(), scan.participantId(), scan.gateId(),
                verdict, reason, detail, firstScanId, firstScannedAt, receivedAt, decidedAt);
    }

    public boolean isAccepted() {
        return verdict == Verdict.ACCEPTED;
    }

    /** The same decision with the gate's provisional beside it. */
    public Outcome withProvisional(Provisional gate) {
        return new Outcome(sourceId, scan, scanId, eventId, participantId, gateId, verdict, reason, detail, firstScanId,
                firstScannedAt, receivedAt, decidedAt, gate);
    }

    /** How the gate's provisional and this final decision disagree on who went in, if they do. */
    public Optional<EdgeMismatch> edgeMismatch() {
        return scan == null ? Optional.empty() : EdgeMismatch.of(provisional, verdict);
    }

    /** Whether the gate should show this decision as a correction; null when the gate sent no provisional. */
    public Boolean correction() {
        return provisional == null ? null : provisional.correctedBy(this);
    }

    /**
     * Whether it goes on `attendance-recorded`: accepted scans, and the refusals of scans their gate let in (counted
     * as {@link EdgeMismatch#CLOUD_REFUSED_GATE_ACCEPTED}: the statistics see them nowhere else).
     */
    public boolean streamed() {
        return isAccepted() || edgeMismatch().orElse(null) == EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED;
    }

    public ScanRef ref() {
        return scan == null ? null : ScanRef.of(scan);
    }
}
