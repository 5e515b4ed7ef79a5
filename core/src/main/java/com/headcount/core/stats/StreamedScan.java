package com.headcount.core.stats;

import com.headcount.core.decision.EdgeMismatch;
import com.headcount.core.decision.Outcome;
import com.headcount.core.scan.Direction;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A scan as read from `attendance-recorded`, with the occurrence it was read at: an accepted scan, or a refusal of a
 * scan its gate let in (an edge mismatch, {@link Outcome#streamed}), which is counted as that and nothing else.
 */
public record StreamedScan(Occurrence occurrence, Outcome outcome) {

    public StreamedScan {
        Objects.requireNonNull(occurrence, "occurrence");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.scan() == null || !outcome.streamed()) {
            throw new IllegalArgumentException("only accepted scans and edge mismatches are counted");
        }
    }

    public boolean isAccepted() {
        return outcome.isAccepted();
    }

    /** The gate's provisional and the cloud's verdict disagreeing on who went in, if they do. */
    public Optional<EdgeMismatch> edgeMismatch() {
        return outcome.edgeMismatch();
    }

    public String scanId() {
        return outcome.scanId();
    }

    public String eventId() {
        return outcome.eventId();
    }

    public String participantId() {
        return outcome.participantId();
    }

    public String gateId() {
        return outcome.gateId();
    }

    public Instant scannedAt() {
        return outcome.scan().scannedAt();
    }

    public boolean isEntry() {
        return outcome.scan().direction() == Direction.ENTRY;
    }

    public String method() {
        return outcome.scan().method().wireName();
    }
}
