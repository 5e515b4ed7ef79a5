package com.headcount.core.decision;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of an outcome: what `attendance-recorded` carries, what a gate is told on its decisions topic
 * and what the API answers. Field names follow the scan message so one vocabulary runs end to end.
 */
public final class OutcomeJson {

    private OutcomeJson() {}

    public static Map<String, Object> toMap(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfSet(m, "scanId", o.scanId());
        putIfSet(m, "eventId", o.eventId());
        putIfSet(m, "participantId", o.participantId());
        putIfSet(m, "gateId", o.gateId());
        m.put("outcome", o.verdict().wireName());
        if (o.reason() != null) m.put("reason", o.reason().code());
        putIfSet(m, "detail", o.detail());
        Scan s = o.scan();
        if (s != null) {
            m.put("timestamp", scannedAtAsSent(s));
            m.put("method", s.method().wireName());
            m.put("direction", s.direction().wireName());
            putIfSet(m, "location", s.location());
            if (!s.deviceInfo().isEmpty()) m.put("deviceInfo", s.deviceInfo());
        }
        putIfSet(m, "firstScanId", o.firstScanId());
        if (o.firstScannedAt() != null) m.put("firstScannedAt", o.firstScannedAt().toString());
        m.put("receivedAt", o.receivedAt().toString());
        m.put("decidedAt", o.decidedAt().toString());
        putIfSet(m, "sourceId", o.sourceId());
        if (o.provisional() != null) {
            // for the gate: what it showed as the cloud read it, and whether to show this decision as a correction
            m.put("provisional", o.provisional().toMap());
            m.put("correction", o.correction());
            o.edgeMismatch().ifPresent(k -> m.put("edgeMismatch", k.code()));
        }
        return m;
    }

    public static byte[] toBytes(Outcome o) {
        try {
            return JSON.std.asBytes(toMap(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what {@link #toBytes} wrote (a consumer of `attendance-recorded`). */
    public static Outcome fromBytes(byte[] json) {
        try {
            return fromMap(JSON.std.mapFrom(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Outcome fromMap(Map<String, Object> m) {
        Verdict verdict = Verdict.fromWire((String) m.get("outcome"));
        RejectReason reason = m.get("reason") == null ? null : RejectReason.fromCode((String) m.get("reason"));
        Scan scan = null;
        if (m.get("timestamp") != null) {
            OffsetDateTime ts = OffsetDateTime.parse((String) m.get("timestamp"));
            scan = new Scan((String) m.get("scanId"), (String) m.get("eventId"), (String) m.get("participantId"),
                    (String) m.get("gateId"), ts.toInstant(), ts.getOffset().getId(),
                    ScanMethod.fromWire((String) m.get("method")).orElseThrow(),
                    Direction.fromWire((String) m.get("direction")).orElse(Direction.ENTRY),
                    (String) m.get("location"), (Map<String, Object>) m.get("deviceInfo"));
        }
        return new Outcome((String) m.get("sourceId"), scan, (String) m.get("scanId"), (String) m.get("eventId"),
                (String) m.get("participantId"), (String) m.get("gateId"), verdict, reason, (String) m.get("detail"),
                (String) m.get("firstScanId"), instant(m.get("firstScannedAt")), instant(m.get("receivedAt")),
                instant(m.get("decidedAt")), Provisional.fromMap((Map<?, ?>) m.get("provisional")));
    }

    /** The scan time with the offset the device wrote, so records read as the gate saw them. */
    public static String scannedAtAsSent(Scan s) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(s.scannedAt().atOffset(ZoneOffset.of(s.zoneOffset())));
    }

    private static Instant instant(Object raw) {
        return raw == null ? null : Instant.parse((String) raw);
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value);
    }
}
