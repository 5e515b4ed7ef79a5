package com.headcount.adapters.dynamodb;

import static com.headcount.adapters.dynamodb.Attributes.n;
import static com.headcount.adapters.dynamodb.Attributes.putIfSet;
import static com.headcount.adapters.dynamodb.Attributes.s;
import static com.headcount.adapters.dynamodb.Attributes.string;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.decision.Provisional;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The scans table: one item per scan outcome, keyed {@code eventId#scanId} so a redelivered scan finds its first
 * outcome; messages refused unread (malformed, or for another gate than their topic's) are keyed by their source
 * ({@code refused#shard:sequence}), so they take no scan id.
 *
 * <p>Two sparse indexes carry the composite (participant, gate, time) design: {@code byParticipant}
 * ({@code eventId#participantId}, time) holds every outcome of a scan, and {@code byGate} ({@code eventId#gateId},
 * time) only the accepted ones: a gate's log is its admissions, and a duplicate or a reject (a third of a crowd's
 * scans) that also went into byGate would cost one more write unit each (issue 13). The time key is the scan's UTC
 * time in fixed width followed by the scan id, so it sorts by time and is unique.
 */
public final class OutcomeItems {

    public static final String KEY = "scanKey";
    public static final String PARTICIPANT_KEY = "participantKey";
    public static final String GATE_KEY = "gateKey";
    public static final String TIME_KEY = "timeKey";
    public static final String BY_PARTICIPANT = "byParticipant";
    public static final String BY_GATE = "byGate";

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private OutcomeItems() {}

    public static Map<String, AttributeValue> key(ScanRef ref) {
        return Map.of(KEY, s(ref.eventId() + "#" + ref.scanId()));
    }

    public static Map<String, AttributeValue> key(Outcome o) {
        return o.scan() == null ? Map.of(KEY, s("refused#" + o.sourceId())) : key(o.ref());
    }

    /** The time key for range queries on the indexes (from inclusive, to exclusive: use {@code timeKey(to)}). */
    public static String timeKey(Instant at) {
        return UTC_MILLIS.format(at);
    }

    public static Map<String, AttributeValue> item(Outcome o) {
        Map<String, AttributeValue> item = new HashMap<>(key(o));
        item.put("verdict", s(o.verdict().wireName()));
        if (o.reason() != null) item.put("reason", s(o.reason().code()));
        putIfSet(item, "detail", o.detail());
        putIfSet(item, "eventId", o.eventId());
        putIfSet(item, "scanId", o.scanId());
        putIfSet(item, "participantId", o.participantId());
        putIfSet(item, "gateId", o.gateId());
        putIfSet(item, "sourceId", o.sourceId());
        item.put("receivedAt", s(o.receivedAt().toString()));
        item.put("decidedAt", s(o.decidedAt().toString()));
        putIfSet(item, "firstScanId", o.firstScanId());
        if (o.firstScannedAt() != null) item.put("firstScannedAt", s(o.firstScannedAt().toString()));
        if (o.provisional() != null) item.put("provisional", provisional(o));
        Scan scan = o.scan();
        if (scan != null) {
            item.put("scannedAt", s(OutcomeJson.scannedAtAsSent(scan)));
            item.put("scannedAtMillis", n(scan.scannedAt().toEpochMilli()));
            item.put("method", s(scan.method().wireName()));
            item.put("direction", s(scan.direction().wireName()));
            putIfSet(item, "location", scan.location());
            if (!scan.deviceInfo().isEmpty()) item.put("deviceInfo", deviceInfo(scan.deviceInfo()));
            item.put(PARTICIPANT_KEY, s(scan.eventId() + "#" + scan.participantId()));
            if (o.isAccepted()) item.put(GATE_KEY, s(scan.eventId() + "#" + scan.gateId()));
            item.put(TIME_KEY, s(timeKey(scan.scannedAt()) + "#" + scan.scanId()));
        }
        return item;
    }

    public static Outcome read(Map<String, AttributeValue> item) {
        Scan scan = null;
        String scannedAt = string(item, "scannedAt");
        if (scannedAt != null) {
            OffsetDateTime ts = OffsetDateTime.parse(scannedAt);
            scan = new Scan(string(item, "scanId"), string(item, "eventId"), string(item, "participantId"),
                    string(item, "gateId"), ts.toInstant(), ts.getOffset().getId(),
                    ScanMethod.fromWire(string(item, "method")).orElseThrow(),
                    Direction.fromWire(string(item, "direction")).orElseThrow(),
                    string(item, "location"), deviceInfo(item.get("deviceInfo")));
        }
        String reason = string(item, "reason");
        String firstScannedAt = string(item, "firstScannedAt");
        return new Outcome(string(item, "sourceId"), scan, string(item, "scanId"), string(item, "eventId"),
                string(item, "participantId"), string(item, "gateId"), Verdict.fromWire(string(item, "verdict")),
                reason == null ? null : RejectReason.fromCode(reason), string(item, "detail"),
                string(item, "firstScanId"), firstScannedAt == null ? null : Instant.parse(firstScannedAt),
                Instant.parse(string(item, "receivedAt")), Instant.parse(string(item, "decidedAt")),
                provisional(item.get("provisional")));
    }

    /**
     * The gate's provisional beside the cloud's verdict ({@link Provisional#toMap}), with the edge mismatch it makes,
     * if any, so a mismatched scan reads as one in the table.
     */
    private static AttributeValue provisional(Outcome o) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        o.provisional().toMap().forEach((k, v) -> m.put(k, v instanceof Number num ? n(num.longValue()) : s(v.toString())));
        o.edgeMismatch().ifPresent(kind -> m.put("edgeMismatch", s(kind.code())));
        return AttributeValue.fromM(m);
    }

    private static Provisional provisional(AttributeValue value) {
        if (value == null || !value.hasM()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        value.m().forEach((k, v) -> m.put(k, v.n() != null ? (Object) Long.parseLong(v.n()) : v.s()));
        return Provisional.fromMap(m);
    }

    private static AttributeValue deviceInfo(Map<String, Object> info) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        info.forEach((k, v) -> m.put(k, switch (v) {
            case Boolean b -> AttributeValue.fromBool(b);
            case Number num -> AttributeValue.fromN(num.toString());
            default -> AttributeValue.fromS(v.toString());
        }));
        return AttributeValue.fromM(m);
    }

    private static Map<String, Object> deviceInfo(AttributeValue value) {
        if (value == null || !value.hasM()) return Map.of();
        Map<String, Object> info = new LinkedHashMap<>();
        value.m().forEach((k, v) -> info.put(k,
                v.bool() != null ? v.bool() : v.n() != null ? (Object) new java.math.BigDecimal(v.n()) : v.s()));
        return info;
    }
}
