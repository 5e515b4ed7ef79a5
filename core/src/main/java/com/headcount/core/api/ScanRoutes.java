package com.headcount.core.api;

import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.UnpublishedScans;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scans sent over HTTP (staff apps, integrations): decided by the same {@link Gatekeeper} as the gates' scans, every
 * outcome stored, malformed bodies included. A stored accepted scan is answered 201 even when the stream would not
 * take it yet: it is set aside and published later.
 */
final class ScanRoutes {

    static final int MAX_JSON_BYTES = 16 * 1024;
    static final int MAX_BATCH_BYTES = 1024 * 1024;

    private final ScanParser parser = new ScanParser();
    private final Gatekeeper gatekeeper;
    private final UnpublishedScans unpublished;

    ScanRoutes(Gatekeeper gatekeeper, UnpublishedScans unpublished) {
        this.gatekeeper = gatekeeper;
        this.unpublished = unpublished;
    }

    ApiResponse record(ApiRequest r, Caller caller, AttendanceApi.Log log) {
        r.requireJson();
        byte[] bytes = r.body(MAX_JSON_BYTES);
        ParsedScan parsed;
        try {
            Map<String, Object> body = StrictJson.object(bytes);
            authorise(caller, List.of(body));
            parsed = ScanRequests.parse(parser, ScanRequests.recordFields(body, r.header("idempotency-key"),
                    () -> UUID.randomUUID().toString()));
        } catch (Problem.Failure notAScan) {
            if (!notAScan.problem().code().equals("invalid_body")) throw notAScan;
            // stored like any other malformed scan: the staff app must learn what it sent, and the organiser too
            authorise(caller, List.of());
            parsed = new ParsedScan.Malformed("body: " + notAScan.problem().detail(), null, null, null, null);
        }
        String sourceId = "http:" + r.requestId();
        var result = gatekeeper.decide(List.of(new Gatekeeper.Arrival(sourceId, parsed, r.receivedAt(), true)));
        Outcome o = result.decided().get(0);
        if (o != null) log.decided(List.of(o));
        if (o == null) {
            throw Problem.unavailable("the scan was not decided; retrying with the same Idempotency-Key is safe").failure();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        // a stored outcome from an earlier request with this scan id: the retry is answered as the first time
        if (o.sourceId() != null && !o.sourceId().equals(sourceId)) headers.put("Idempotent-Replayed", "true");
        if (reused(parsed, o)) return ApiResponse.problem(keyReused(o), r.requestId(), headers);
        if (!result.unpublished().isEmpty()) setAside(result.unpublished());
        Object answer = ScanRequests.answer(o);
        if (answer instanceof Problem p) return ApiResponse.problem(p, r.requestId(), headers);
        headers.put("Location", "/api/v1/events/" + o.eventId() + "/attendance?participantId=" + o.participantId());
        return ApiResponse.json(201, answer, headers);
    }

    /** Up to 500 scans for any gates, decided in one pass: one reference read, independent lanes side by side. */
    ApiResponse batch(ApiRequest r, Caller caller, AttendanceApi.Log log) {
        Map<String, Object> body = r.jsonObject(MAX_BATCH_BYTES);
        List<Map<String, Object>> scans = ScanRequests.batchFields(body, () -> UUID.randomUUID().toString());
        authorise(caller, scans);
        List<Gatekeeper.Arrival> arrivals = new ArrayList<>(scans.size());
        List<ParsedScan> parsed = new ArrayList<>(scans.size());
        for (int i = 0; i < scans.size(); i++) {
            parsed.add(ScanRequests.parse(parser, scans.get(i)));
            arrivals.add(new Gatekeeper.Arrival("http:" + r.requestId() + "#" + i, parsed.get(i), r.receivedAt(),
                    true));
        }
        var result = gatekeeper.decide(arrivals);
        log.decided(result.decided().stream().filter(java.util.Objects::nonNull).toList());
        Set<Outcome> notSetAside = Collections.newSetFromMap(new IdentityHashMap<>());
        if (!result.unpublished().isEmpty()) {
            try {
                setAside(result.unpublished());
            } catch (Problem.Failure f) {
                notSetAside.addAll(result.unpublished());
            }
        }

        List<Object> successful = new ArrayList<>();
        List<Object> duplicates = new ArrayList<>();
        List<Object> failed = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            Outcome o = result.decided().get(i);
            Object scanId = scans.get(i).get("scanId");
            if (o == null || notSetAside.contains(o)) {
                failed.add(failure(i, scanId, "unavailable", "not decided; send it again with the same scanId"));
                continue;
            }
            if (reused(parsed.get(i), o)) {
                failed.add(failure(i, scanId, "idempotency_key_reused", keyReused(o).detail()));
                continue;
            }
            Map<String, Object> record = ScanRequests.record(o);
            record.put("index", i);
            switch (o.verdict()) {
                case ACCEPTED -> successful.add(record);
                case DUPLICATE -> duplicates.add(record);
                case REJECTED -> failed.add(failure(i, o.scanId(), o.reason().code(), o.detail() == null
                        ? o.reason().title() : o.detail()));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("received", scans.size());
        answer.put("successful", successful);
        answer.put("duplicates", duplicates);
        answer.put("failed", failed);
        return ApiResponse.json(200, answer);
    }

    /** The scan id was stored for another body: the first outcome stands, this body claims nothing. */
    private static boolean reused(ParsedScan parsed, Outcome stored) {
        return parsed instanceof ParsedScan.Valid v && stored.scan() != null && !stored.scan().sameScanAs(v.scan());
    }

    private static Problem keyReused(Outcome stored) {
        return Problem.of(422, "idempotency_key_reused", "Idempotency-Key reused with another scan",
                        "scan id " + stored.scanId() + " was already used for a scan of participant "
                                + stored.participantId() + " at gate " + stored.gateId() + " at "
                                + stored.scan().scannedAt() + "; its outcome stands. Use a new id for a new scan.")
                .with("record", ScanRequests.record(stored));
    }

    private void setAside(List<Outcome> accepted) {
        try {
            unpublished.setAside(accepted);
        } catch (RuntimeException e) {
            // stored, not published, and not even noted: only a retry (same id) publishes it now
            throw Problem.unavailable("the scan was recorded but not yet published; retry with the same Idempotency-Key")
                    .failure();
        }
    }

    /**
     * Gate staff record for the events and gates their token names; a scan naming another event or gate refuses the
     * whole request before anything is stored or claimed.
     */
    private static void authorise(Caller caller, List<Map<String, Object>> scans) {
        boolean any = false;
        for (Map<String, Object> scan : scans) {
            if (scan.get("eventId") instanceof String eventId && Ids.valid(eventId)) {
                if (scan.get("gateId") instanceof String gateId && Ids.valid(gateId)) caller.requireGate(eventId, gateId);
                else caller.require(Role.GATE_STAFF, eventId);
                any = true;
            }
        }
        if (!any && !caller.hasAnywhere(Role.GATE_STAFF)) {
            throw Problem.forbidden("this needs the gate-staff role").failure();
        }
    }

    private static Map<String, Object> failure(int index, Object scanId, String code, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        if (scanId instanceof String id && Ids.valid(id)) m.put("scanId", id);
        m.put("code", code);
        m.put("reason", detail);
        return m;
    }
}
