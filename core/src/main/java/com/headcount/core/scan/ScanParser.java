package com.headcount.core.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a gate's JSON message into a {@link Scan}, or says precisely why it cannot (rule 1 of the decision).
 * Unknown fields are ignored so that newer devices keep working with older functions.
 */
public final class ScanParser {

    /** Largest message accepted; a real scan is a few hundred bytes. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024;
    static final int MAX_LOCATION_CHARS = 256;
    static final int MAX_DEVICE_INFO_ENTRIES = 20;
    static final int MAX_DEVICE_INFO_VALUE_CHARS = 256;

    /** A year outside this range is a device with a reset or broken clock, not a scan time. */
    public static final int FIRST_PLAUSIBLE_YEAR = 2000;
    public static final int LAST_PLAUSIBLE_YEAR = 2199;

    // A member given twice ("gateId":"north","gateId":"vip") is refused, not read as whichever came last; decimals
    // are read exactly, so what is checked against the store's limits is what would be stored.
    private static final JSON JSON_READER = JSON.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build()
            .with(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS);

    public ParsedScan parse(byte[] message) {
        if (message == null || message.length == 0) {
            return malformed("body: empty", Map.of());
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            return malformed("body: larger than " + MAX_MESSAGE_BYTES + " bytes", Map.of());
        }
        Map<String, Object> fields;
        try {
            fields = JSON_READER.mapFrom(message);
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage();
            return malformed(m != null && m.startsWith("Duplicate field")
                    ? "body: a member appears twice" : "body: not a JSON object", Map.of());
        }
        if (fields == null) {
            return malformed("body: not a JSON object", Map.of());
        }
        return parse(fields);
    }

    /**
     * A message from the {@code scans} stream. Malformed messages keep the topic's event and gate so that gate is
     * told; a well-formed scan naming another event or gate than its topic is a {@link ParsedScan.ForeignTopic}.
     */
    public ParsedScan parse(GateMessage message) {
        if (message.problem() != null) return malformed(message.problem(), Map.of());
        ParsedScan parsed = parse(message.payload());
        if (message.eventId() == null || message.gateId() == null) {
            // no valid gate to answer or to check against: the topic itself is not one a gate may have
            return new ParsedScan.Malformed("topic: expected headcount/{stage}/{eventId}/gates/{gateId}/scans with valid ids",
                    parsed instanceof ParsedScan.Valid v ? v.scan().scanId()
                            : ((ParsedScan.Malformed) parsed).scanId(), null, null, null);
        }
        return switch (parsed) {
            case ParsedScan.Malformed m -> m.fromTopic(message);
            case ParsedScan.Valid v when !v.scan().eventId().equals(message.eventId())
                    || !v.scan().gateId().equals(message.gateId()) ->
                    new ParsedScan.ForeignTopic(v.scan(), message.eventId(), message.gateId());
            default -> parsed;
        };
    }

    /** Also used by the HTTP API, whose request body is parsed as part of a larger document. */
    public ParsedScan parse(Map<String, Object> fields) {
        String scanId = id(fields, "scanId");
        if (scanId == null) return malformed(problemWithId(fields, "scanId"), fields);
        String eventId = id(fields, "eventId");
        if (eventId == null) return malformed(problemWithId(fields, "eventId"), fields);
        String participantId = id(fields, "participantId");
        if (participantId == null) return malformed(problemWithId(fields, "participantId"), fields);
        String gateId = id(fields, "gateId");
        if (gateId == null) return malformed(problemWithId(fields, "gateId"), fields);

        OffsetDateTime timestamp = timestamp(fields.get("timestamp"));
        if (timestamp == null) {
            return malformed("timestamp: " + (fields.get("timestamp") == null
                    ? "missing" : "not ISO-8601 with an offset, e.g. 2026-11-26T09:30:00+01:00"), fields);
        }
        int year = timestamp.toInstant().atOffset(java.time.ZoneOffset.UTC).getYear();
        if (year < FIRST_PLAUSIBLE_YEAR || year > LAST_PLAUSIBLE_YEAR) {
            return malformed("timestamp: year " + year + " is not a plausible scan time (" + FIRST_PLAUSIBLE_YEAR
                    + " to " + LAST_PLAUSIBLE_YEAR + "); is the gate's clock set?", fields);
        }
        if (!(fields.get("method") instanceof String methodName)) {
            return malformed("method: missing (ble_auto, qr_scan or manual)", fields);
        }
        var method = ScanMethod.fromWire(methodName);
        if (method.isEmpty()) return malformed("method: unknown, expected ble_auto, qr_scan or manual", fields);

        Direction direction = Direction.ENTRY;
        Object rawDirection = fields.get("direction");
        if (rawDirection != null) {
            var parsed = rawDirection instanceof String s ? Direction.fromWire(s) : java.util.Optional.<Direction>empty();
            if (parsed.isEmpty()) return malformed("direction: expected entry or exit", fields);
            direction = parsed.get();
        }

        Object rawLocation = fields.get("location");
        String location = null;
        if (rawLocation != null) {
            if (!(rawLocation instanceof String s) || s.length() > MAX_LOCATION_CHARS || hasControlCharacters(s)) {
                return malformed("location: expected text of at most " + MAX_LOCATION_CHARS + " characters", fields);
            }
            location = s;
        }

        Map<String, Object> deviceInfo = deviceInfo(fields.get("deviceInfo"));
        if (deviceInfo == null) {
            return malformed("deviceInfo: expected an object of at most " + MAX_DEVICE_INFO_ENTRIES
                    + " text, number or true/false values", fields);
        }

        // Milliseconds are what devices send and what the window compares; finer digits would not survive storage.
        // The gate's provisional verdict is kept as sent: the decision reads it, and one it cannot read leaves the scan
        // valid (it is stored as malformed beside the cloud's decision).
        return new ParsedScan.Valid(new Scan(scanId, eventId, participantId, gateId,
                timestamp.toInstant().truncatedTo(ChronoUnit.MILLIS),
                timestamp.getOffset().getId(), method.get(), direction, location, deviceInfo),
                fields.get("provisional"));
    }

    private static OffsetDateTime timestamp(Object raw) {
        if (!(raw instanceof String s) || s.length() > 64) return null;
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, Object> deviceInfo(Object raw) {
        if (raw == null) return Map.of();
        if (!(raw instanceof Map<?, ?> map) || map.size() > MAX_DEVICE_INFO_ENTRIES) return null;
        Map<String, Object> clean = new LinkedHashMap<>();
        for (var entry : map.entrySet()) {
            Object value = entry.getValue();
            if (value == null) continue;
            boolean scalar = value instanceof Boolean || (value instanceof Number && Storable.number(value))
                    || (value instanceof String s && s.length() <= MAX_DEVICE_INFO_VALUE_CHARS && !hasControlCharacters(s));
            String key = String.valueOf(entry.getKey());
            if (!scalar || key.isEmpty() || key.length() > 64 || hasControlCharacters(key)) return null;
            clean.put(key, value);
        }
        return clean;
    }

    private static String id(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String s && IdRule.valid(s) ? s : null;
    }

    private static String problemWithId(Map<String, Object> fields, String name) {
        return name + (fields.get(name) == null
                ? ": missing"
                : ": " + IdRule.EXPECTED);
    }

    /** Control characters, and lone halves of surrogate pairs, which are not text and cannot be stored as UTF-8. */
    private static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) return true;
        }
        return !Storable.text(s);
    }

    private static ParsedScan malformed(String problem, Map<String, Object> fields) {
        return new ParsedScan.Malformed(problem, id(fields, "scanId"), id(fields, "eventId"),
                id(fields, "gateId"), id(fields, "participantId"));
    }
}
