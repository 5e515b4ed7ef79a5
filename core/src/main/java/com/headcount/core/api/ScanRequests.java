package com.headcount.core.api;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.decision.Verdict;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP shapes of scans: the record and batch request bodies in, outcomes out. The fields of a scan are the
 * device message's (ScanParser decides them); what is HTTP-only is the Idempotency-Key header and the answer.
 */
public final class ScanRequests {

    public static final Set<String> SCAN_FIELDS = Set.of("scanId", "eventId", "participantId", "gateId", "timestamp",
            "method", "direction", "location", "deviceInfo");
    public static final int MAX_BATCH = 500;
    private static final String NOT_AN_OBJECT = "__notAnObject";

    private ScanRequests() {}

    /**
     * The fields ScanParser reads. The scan id is the Idempotency-Key header, else the body's scanId, else one made
     * here: without a client-made id a retried request is a new scan, which the OpenAPI document says.
     */
    public static Map<String, Object> recordFields(Map<String, Object> body, String idempotencyKey,
                                                   Supplier<String> newScanId) {
        Map<String, Object> fields = new LinkedHashMap<>(body);
        if (idempotencyKey != null) {
            if (!Ids.valid(idempotencyKey)) {
                throw Problem.invalidParameter("Idempotency-Key: expected 1 to 128 letters, digits or . _ : @ -, "
                        + "e.g. a UUID").failure();
            }
            Object bodyId = body.get("scanId");
            if (bodyId != null && !idempotencyKey.equals(bodyId)) {
                throw Problem.of(400, "idempotency_key_mismatch", "Idempotency-Key and scanId differ",
                        "send one of them, or the same value in both").failure();
            }
            fields.put("scanId", idempotencyKey);
        } else if (body.get("scanId") == null) {
            fields.put("scanId", newScanId.get());
        }
        return fields;
    }

    /** A batch: {"eventId"?: default for every scan, "scans": [ ...up to 500 ]}. */
    public static List<Map<String, Object>> batchFields(Map<String, Object> body, Supplier<String> newScanId) {
        StrictJson.onlyKnown(body, Set.of("eventId", "scans"), "");
        Object defaultEvent = body.get("eventId");
        if (defaultEvent != null && !Ids.valid(defaultEvent instanceof String s ? s : null)) {
            throw Problem.invalidBody("eventId: expected 1 to 128 letters, digits or . _ : @ -").failure();
        }
        if (!(body.get("scans") instanceof List<?> scans)) {
            throw Problem.invalidBody("scans: expected an array of scans").failure();
        }
        if (scans.isEmpty() || scans.size() > MAX_BATCH) {
            throw Problem.invalidBody("scans: expected 1 to " + MAX_BATCH + " scans").with("maxScans", MAX_BATCH).failure();
        }
        List<Map<String, Object>> all = new ArrayList<>(scans.size());
        for (Object raw : scans) {
            Map<String, Object> fields = new LinkedHashMap<>();
            if (raw instanceof Map<?, ?> m) m.forEach((k, v) -> fields.put(String.valueOf(k), v));
            else fields.put(NOT_AN_OBJECT, Boolean.TRUE);
            if (defaultEvent != null) fields.putIfAbsent("eventId", defaultEvent);
            if (fields.get("scanId") == null && raw instanceof Map<?, ?>) fields.put("scanId", newScanId.get());
            all.add(fields);
        }
        return all;
    }

    /**
     * What the scan parser makes of one scan's fields; a member that is not a scan field makes it malformed (a typo
     * in an optional field must not pass silently), with what could be read kept.
     */
    public static ParsedScan parse(ScanParser parser, Map<String, Object> fields) {
        if (fields.containsKey(NOT_AN_OBJECT)) {
            return new ParsedScan.Malformed("scan: expected an object", null, null, null, null);
        }
        for (String name : fields.keySet()) {
            if (!SCAN_FIELDS.contains(name)) {
                return new ParsedScan.Malformed(StrictJson.printable(name) + ": unknown field", id(fields, "scanId"),
                        id(fields, "eventId"), id(fields, "gateId"), id(fields, "participantId"));
            }
        }
        return parser.parse(fields);
    }

    private static String id(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String s && Ids.valid(s) ? s : null;
    }

    /** The record as the API shows it: the outcome's JSON without where it travelled. */
    public static Map<String, Object> record(Outcome o) {
        Map<String, Object> m = OutcomeJson.toMap(o);
        m.remove("sourceId");
        return m;
    }

    /** 201 with the record, or the problem the decision amounts to. */
    public static Object answer(Outcome o) {
        if (o.verdict() == Verdict.ACCEPTED) return record(o);
        if (o.verdict() == Verdict.DUPLICATE) {
            return Problem.of(409, "duplicate", "Duplicate scan",
                            "the participant was already let in at this gate within 5 minutes")
                    .with("firstScanId", o.firstScanId())
                    .with("firstScannedAt", o.firstScannedAt().toString())
                    .with("record", record(o));
        }
        return Problem.of(o.reason().httpStatus(), o.reason().code(), o.reason().title(), o.detail())
                .with("record", record(o));
    }
}
