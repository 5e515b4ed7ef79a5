package com.headcount.core.decision;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rules 2 to 5 of the decision (docs/architecture.md, "How a scan is decided"): everything that can be decided from
 * the scan and the organiser's reference data alone, before the dedup window is consulted.
 */
public final class ScanRules {

    public record Rejection(RejectReason reason, String detail) {}

    private ScanRules() {}

    /** The reference data a scan is decided against. */
    public static List<ReferenceKey> keysFor(Scan scan) {
        return List.of(
                new ReferenceKey.OfEvent(scan.eventId()),
                new ReferenceKey.OfGate(scan.eventId(), scan.gateId()),
                new ReferenceKey.OfParticipant(scan.eventId(), scan.participantId()));
    }

    /** A gate's scan: its age is not limited (a gate's backlog may be days old). */
    public static Optional<Rejection> check(Scan scan, ReferenceSet reference, Instant receivedAt) {
        return check(scan, reference, receivedAt, false);
    }

    /** @param overHttp sent with a token over HTTP, where the event's age limit applies */
    public static Optional<Rejection> check(Scan scan, ReferenceSet reference, Instant receivedAt, boolean overHttp) {
        var participant = reference.participant(scan.eventId(), scan.participantId());
        if (participant.isEmpty()) {
            return reject(RejectReason.PARTICIPANT_NOT_FOUND, "participant " + scan.participantId() + " is not registered for event " + scan.eventId());
        }
        if (!participant.get().isActive()) {
            return reject(RejectReason.PARTICIPANT_INACTIVE, "participant status is " + participant.get().status());
        }
        var gate = reference.gate(scan.eventId(), scan.gateId());
        if (gate.isEmpty() || !gate.get().active()) {
            return reject(RejectReason.GATE_NOT_FOUND, "gate " + scan.gateId() + (gate.isEmpty() ? " does not exist" : " is inactive"));
        }
        // A registered participant and gate imply the event exists; a missing event item is a set-up error.
        AttendanceEvent event = reference.event(scan.eventId()).orElse(null);
        if (event == null || !event.acceptsScansAt(scan.scannedAt())) {
            return reject(RejectReason.OUTSIDE_EVENT_WINDOW, event == null
                    ? "event " + scan.eventId() + " is not set up"
                    : "scans are taken from " + event.start().minus(AttendanceEvent.SCAN_MARGIN)
                            + " to " + event.end().plus(AttendanceEvent.SCAN_MARGIN));
        }
        if (scan.scannedAt().isAfter(receivedAt.plus(event.clockSkewTolerance()))) {
            return reject(RejectReason.CLOCK_SKEW, "scanned at " + scan.scannedAt() + " but received at " + receivedAt
                    + " (tolerance " + event.clockSkewTolerance() + ")");
        }
        if (overHttp && scan.scannedAt().isBefore(receivedAt.minus(event.httpScanMaxAge()))) {
            return reject(RejectReason.SCAN_TOO_OLD, "scanned at " + scan.scannedAt() + " but received at " + receivedAt
                    + "; scans sent over HTTP may be at most " + event.httpScanMaxAge().toSeconds() + " s old");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
