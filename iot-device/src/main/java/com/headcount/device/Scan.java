package com.headcount.device;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One check-in as the gate saw it (the scan message of docs/asyncapi.yaml). The timestamp is the gate's clock at scan
 * time and travels unchanged through the offline queue: the backend decides duplicates by event time.
 * {@code direction}, {@code location} and {@code deviceInfo} (text, number or true/false values: model, firmware,
 * battery) are optional: null when absent.
 */
public record Scan(String scanId, String eventId, String participantId, String gateId, OffsetDateTime timestamp,
                   ScanMethod method, Direction direction, String location, Map<String, Object> deviceInfo) {

    /** Always with seconds and milliseconds, so the text does not change shape when a scan falls on a whole minute. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    public Scan {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(gateId, "gateId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(method, "method");
    }

    /** A new scan at this gate, now by the gate's clock, with a fresh scanId. */
    public static Scan now(Clock clock, String eventId, String gateId, String participantId, ScanMethod method,
                           Direction direction) {
        return new Scan(UUID.randomUUID().toString(), eventId, participantId, gateId, OffsetDateTime.now(clock),
                method, direction, null, null);
    }

    public byte[] toJson() {
        return toJson(null);
    }

    /**
     * With the gate's provisional decision (docs/asyncapi.yaml, {@code provisional}): the cloud still decides, and
     * counts where it decided otherwise. Null leaves the field out, as for a gate that did not decide.
     */
    public byte[] toJson(Map<String, Object> provisional) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("scanId", scanId);
        fields.put("eventId", eventId);
        fields.put("participantId", participantId);
        fields.put("gateId", gateId);
        fields.put("timestamp", TIMESTAMP.format(timestamp));
        fields.put("method", method.wireName());
        if (direction != null) {
            fields.put("direction", direction.wireName());
        }
        if (location != null) {
            fields.put("location", location);
        }
        if (deviceInfo != null) {
            fields.put("deviceInfo", deviceInfo);
        }
        if (provisional != null) {
            fields.put("provisional", provisional);
        }
        try {
            return JSON.std.asBytes(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scanId of a queued scan, without needing the rest of it to be well formed. */
    static String scanIdOf(byte[] scanJson) {
        try {
            Object id = JSON.std.mapFrom(scanJson).get("scanId");
            return id == null ? null : id.toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
