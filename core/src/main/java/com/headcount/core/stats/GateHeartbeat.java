package com.headcount.core.stats;

import java.time.Instant;
import java.util.Objects;

/**
 * The last heartbeat heard from a gate (topic {@code headcount/{stage}/{eventId}/gates/{gateId}/status}), as the topic rule
 * stored it. Only {@code receivedAt} (IoT Core's clock) is sure to be there: a gate's body may lack any field, or be
 * no JSON at all, and still proves the gate is alive.
 *
 * @param receivedAt     when IoT Core received it
 * @param sentAt         the gate's clock when it sent it (so sentAt − receivedAt is the gate's clock offset, plus the
 *                       one-way network delay: tens of milliseconds, small beside the minutes that make scans
 *                       refused as clock_skew)
 * @param connected      false in the gate's last will (the broker lost it) and in its goodbye; true otherwise
 * @param queueLength    scans waiting on the gate's disk (its backlog)
 * @param oldestQueuedAt scan time of the oldest of them
 * @param version        the gate's firmware or app version
 * @param allowListAgeSeconds how old the allow-list the gate decides from was when it sent this (issue 18); null for a
 *                       gate that does not decide
 * @param allowListVersion    that allow-list's version
 */
public record GateHeartbeat(String gateId, Instant receivedAt, Instant sentAt, Boolean connected, Long queueLength,
                            Instant oldestQueuedAt, String version, Long allowListAgeSeconds, Long allowListVersion) {

    /** From a gate that does not decide on its own (no allow-list). */
    public GateHeartbeat(String gateId, Instant receivedAt, Instant sentAt, Boolean connected, Long queueLength,
                         Instant oldestQueuedAt, String version) {
        this(gateId, receivedAt, sentAt, connected, queueLength, oldestQueuedAt, version, null, null);
    }

    public GateHeartbeat {
        Objects.requireNonNull(gateId, "gateId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The gate's clock minus IoT Core's, in milliseconds; null when the gate did not say when it sent. */
    public Long clockOffsetMs() {
        return sentAt == null ? null : sentAt.toEpochMilli() - receivedAt.toEpochMilli();
    }
}
