package com.headcount.core.scan;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One sighting of a participant at a gate, as the device reported it.
 *
 * @param scanId    device-made id; the idempotency key of the whole pipeline
 * @param scannedAt the device's clock at the scan (event time, not arrival time)
 * @param zoneOffset the offset the device wrote, kept so the record can be shown as the gate saw it
 * @param location  free text from the device, or null
 * @param deviceInfo device facts (model, firmware...), possibly empty
 */
public record Scan(
        String scanId,
        String eventId,
        String participantId,
        String gateId,
        Instant scannedAt,
        String zoneOffset,
        ScanMethod method,
        Direction direction,
        String location,
        Map<String, Object> deviceInfo) {

    public Scan {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(gateId, "gateId");
        Objects.requireNonNull(scannedAt, "scannedAt");
        Objects.requireNonNull(method, "method");
        direction = direction == null ? Direction.ENTRY : direction;
        zoneOffset = zoneOffset == null ? "Z" : zoneOffset;
        deviceInfo = deviceInfo == null ? Map.of() : Map.copyOf(deviceInfo);
    }

    /** Without the device's free text (location, deviceInfo): ids and validated values only. */
    public Scan essentials() {
        return new Scan(scanId, eventId, participantId, gateId, scannedAt, zoneOffset, method, direction, null, null);
    }

    /**
     * Whether {@code other} is the same scan sent again: the same id with another participant, gate, time, method or
     * direction is another body under a reused id (the client's error), not a retry. The device's free text is left
     * out: it decides nothing, and a stored outcome may keep only the essentials.
     */
    public boolean sameScanAs(Scan other) {
        return scanId.equals(other.scanId) && eventId.equals(other.eventId)
                && participantId.equals(other.participantId) && gateId.equals(other.gateId)
                && scannedAt.equals(other.scannedAt) && method == other.method && direction == other.direction;
    }
}
