package com.headcount.core.stats;

import com.headcount.core.decision.Outcome;
import com.headcount.core.scan.Direction;
import java.time.Instant;
import java.util.Objects;

/** An accepted scan as read from `attendance-recorded`, with the occurrence it was read at. */
public record StreamedScan(Occurrence occurrence, Outcome outcome) {

    public StreamedScan {
        Objects.requireNonNull(occurrence, "occurrence");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.scan() == null || !outcome.isAccepted()) {
            throw new IllegalArgumentException("only accepted scans are counted");
        }
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
