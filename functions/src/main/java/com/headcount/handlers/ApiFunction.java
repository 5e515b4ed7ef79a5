package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.dynamodb.DynamoAttendanceLog;
import com.headcount.adapters.dynamodb.DynamoParticipantImports;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import com.headcount.core.api.AttendanceQuery;
import com.headcount.core.api.Csv;
import com.headcount.core.api.EventSetup;
import com.headcount.core.api.Ids;
import com.headcount.core.api.ParticipantImport;
import com.headcount.core.api.Problem;
import com.headcount.core.api.Routes;
import com.headcount.core.api.ScanRequests;
import com.headcount.core.api.StrictJson;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import com.headcount.core.stats.StatisticsView;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * ApiFunction: API Gateway HTTP API (payload 2.0) → route → the same decision core as ingest → a JSON answer or an
 * RFC 9457 problem. API Gateway's JWT authorizer has verified the token; this function checks role and event.
 */
public final class ApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** What the routes use; built once per execution environment by {@link ApiWiring}. */
    public record Services(Gatekeeper gatekeeper, DynamoReferenceData reference, DynamoParticipantImports imports,
                           ParticipantCounts counts,
                           DynamoAttendanceLog attendance, StatisticsView statistics, ApiSettings settings,
                           Clock clock) {}

    static final int MAX_JSON_BYTES = 16 * 1024;
    static final int MAX_BATCH_BYTES = 1024 * 1024;
    private static final Set<String> JSON_TYPES = Set.of("application/json");

    private final ScanParser parser = new ScanParser();
    private final Services s;

    /** Lambda's constructor. */
    public ApiFunction() {
        this(ApiWiring.fromEnvironment());
    }

    public ApiFunction(Services services) {
        this.s = services;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var rc = event.getRequestContext();
        String requestId = rc != null && rc.getRequestId() != null ? rc.getRequestId() : UUID.randomUUID().toString();
        // API Gateway's receive time is the scan's arrival time for the clock-skew rule
        Instant receivedAt = rc != null && rc.getTimeEpoch() > 0 ? Instant.ofEpochMilli(rc.getTimeEpoch()) : s.clock().instant();
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        String method = rc != null && rc.getHttp() != null && rc.getHttp().getMethod() != null
                ? rc.getHttp().getMethod() : "GET";
        try {
            Routes.Match match = Routes.match(method, path);
            Caller caller = Caller.fromAuthorizerClaims(rc == null || rc.getAuthorizer() == null
                    || rc.getAuthorizer().getJwt() == null ? null : rc.getAuthorizer().getJwt().getClaims());
            var request = new Request(event, match.parameters(), requestId, receivedAt);
            return route(match.route(), request, caller);
        } catch (Problem.Failure f) {
            return problem(f.problem(), path, requestId);
        } catch (SdkException e) {
            log(context, "{\"msg\":\"store unavailable\",\"requestId\":\"" + requestId + "\",\"error\":\""
                    + e.getClass().getSimpleName() + "\"}");
            return problem(Problem.unavailable("a store did not answer"), path, requestId);
        }
    }

    private APIGatewayV2HTTPResponse route(Routes.Route route, Request r, Caller caller) {
        return switch (route) {
            case RECORD -> record(r, caller);
            case BATCH -> batch(r, caller);
            case GET_EVENT -> {
                String eventId = r.eventId(caller, Role.VIEWER);
                yield json(200, EventSetup.toMap(existingEvent(eventId)));
            }
            case PUT_EVENT -> {
                String eventId = r.eventId(caller, Role.ORGANIZER);
                AttendanceEvent e = EventSetup.event(eventId, r.jsonObject(MAX_JSON_BYTES));
                s.reference().save(e);
                yield json(200, EventSetup.toMap(e));
            }
            case PUT_GATE -> {
                String eventId = r.eventId(caller, Role.ORGANIZER);
                var gate = EventSetup.gate(eventId, Ids.require("gateId", r.param("gateId")), r.jsonObject(MAX_JSON_BYTES));
                existingEvent(eventId);
                s.reference().save(gate);
                yield json(200, EventSetup.toMap(gate));
            }
            case IMPORT_PARTICIPANTS -> importParticipants(r, caller);
            case GET_IMPORT -> {
                String eventId = r.eventId(caller, Role.ORGANIZER);
                String importId = Ids.require("importId", r.param("importId"));
                yield json(200, s.imports().status(eventId, importId).orElseThrow(() ->
                        Problem.notFound("import_not_found", "Import not found", null).failure()));
            }
            case PUT_PARTICIPANT_STATUS -> {
                String eventId = r.eventId(caller, Role.ORGANIZER);
                String participantId = Ids.require("participantId", r.param("participantId"));
                String status = EventSetup.participantStatus(r.jsonObject(MAX_JSON_BYTES));
                String before = s.imports().setStatus(eventId, participantId, status).orElseThrow(() ->
                        Problem.notFound("participant_not_found", "Participant not found", null).failure());
                s.counts().statusChanged(eventId, before, status);
                yield json(200, Map.of("eventId", eventId, "participantId", participantId, "status", status));
            }
            case STATS -> stats(r, caller, "overall");
            case STATS_GATES -> stats(r, caller, "gates");
            case STATS_HOURLY -> stats(r, caller, "hourly");
            case STATS_PREDICTIVE -> stats(r, caller, "predictive");
            case ALERTS -> stats(r, caller, "alerts");
            case STATS_GATE -> {
                String eventId = r.eventId(caller, Role.VIEWER);
                String gateId = Ids.require("gateId", r.param("gateId"));
                Map<String, Object> snapshot = snapshot(eventId);
                Object gate = snapshot.get("gates") instanceof Map<?, ?> gates ? gates.get(gateId) : null;
                if (gate == null) throw Problem.notFound("gate_not_found", "No statistics for this gate", null).failure();
                Map<String, Object> body = header(snapshot, eventId);
                body.put("gateId", gateId);
                body.put("gate", gate);
                yield json(200, body);
            }
            case ATTENDANCE -> {
                String eventId = r.eventId(caller, Role.VIEWER);
                var q = AttendanceQuery.parse(eventId, r.query(), AttendanceQuery.MAX_LIMIT);
                var page = s.attendance().query(q);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("eventId", eventId);
                body.put("items", page.records().stream().map(ScanRequests::record).toList());
                body.put("nextCursor", page.lastKey() == null ? null : q.encodeCursor(page.lastKey()));
                yield json(200, body);
            }
            case ATTENDANCE_CSV -> attendanceCsv(r, caller);
        };
    }

    private APIGatewayV2HTTPResponse record(Request r, Caller caller) {
        Map<String, Object> body = r.jsonObject(MAX_JSON_BYTES);
        authoriseScans(caller, List.of(body));
        Map<String, Object> fields = ScanRequests.recordFields(body, r.header("idempotency-key"),
                () -> UUID.randomUUID().toString());
        String sourceId = "http:" + r.requestId;
        var result = s.gatekeeper().decide(List.of(new Gatekeeper.Arrival(sourceId, parser.parse(fields), r.receivedAt)));
        if (result.outcomes().isEmpty()) {
            throw Problem.unavailable("the scan was not decided; retrying with the same Idempotency-Key is safe").failure();
        }
        Outcome o = result.outcomes().get(0);
        Object answer = ScanRequests.answer(o);
        Map<String, String> headers = new LinkedHashMap<>();
        // a stored outcome from an earlier request with this scan id: the retry is answered as the first time
        if (o.sourceId() != null && !o.sourceId().equals(sourceId)) headers.put("Idempotent-Replayed", "true");
        if (answer instanceof Problem p) return problem(p, r.path, r.requestId, headers);
        if (result.failure() != null) {
            // decided and stored, but not yet published: the statistics would miss it, so the client must retry
            throw Problem.unavailable("the scan was recorded but not yet published; retry with the same Idempotency-Key")
                    .failure();
        }
        headers.put("Location", "/api/v1/events/" + o.eventId() + "/attendance?participantId=" + o.participantId());
        return json(201, answer, headers);
    }

    private APIGatewayV2HTTPResponse batch(Request r, Caller caller) {
        Map<String, Object> body = r.jsonObject(MAX_BATCH_BYTES);
        List<Map<String, Object>> scans = ScanRequests.batchFields(body, () -> UUID.randomUUID().toString());
        authoriseScans(caller, scans);

        // grouped by gate as devices send them: a gate's scans are decided in order, one gate's trouble stays its own
        Map<String, List<Integer>> byGate = new LinkedHashMap<>();
        for (int i = 0; i < scans.size(); i++) {
            Object gate = scans.get(i).get("gateId");
            byGate.computeIfAbsent(gate instanceof String g ? g : "", k -> new ArrayList<>()).add(i);
        }
        Object[] results = new Object[scans.size()];
        for (List<Integer> indexes : byGate.values()) {
            List<Gatekeeper.Arrival> arrivals = new ArrayList<>();
            for (int i : indexes) {
                arrivals.add(new Gatekeeper.Arrival("http:" + r.requestId + "#" + i, parseBatchScan(scans.get(i)), r.receivedAt));
            }
            Gatekeeper.BatchResult result;
            try {
                result = s.gatekeeper().decide(arrivals);
            } catch (SdkException | IllegalStateException e) {
                result = new Gatekeeper.BatchResult(List.of(), e);
            }
            for (int k = 0; k < indexes.size(); k++) {
                results[indexes.get(k)] = k < result.outcomes().size() ? result.outcomes().get(k) : null;
            }
        }

        List<Object> successful = new ArrayList<>();
        List<Object> duplicates = new ArrayList<>();
        List<Object> failed = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            Object scanId = scans.get(i).get("scanId");
            if (!(results[i] instanceof Outcome o)) {
                failed.add(failure(i, scanId, "unavailable", "not decided; send it again with the same scanId"));
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
        return json(200, answer);
    }

    /** A batch entry that is not even a scan-shaped object is still recorded as malformed, with what could be read. */
    private ParsedScan parseBatchScan(Map<String, Object> fields) {
        if (fields.containsKey("__notAnObject")) return new ParsedScan.Malformed("scan: expected an object", null, null, null, null);
        for (String name : fields.keySet()) {
            if (!ScanRequests.SCAN_FIELDS.contains(name)) {
                return new ParsedScan.Malformed(name.length() > 64 ? "unknown field" : name + ": unknown field",
                        str(fields, "scanId"), str(fields, "eventId"), str(fields, "gateId"), str(fields, "participantId"));
            }
        }
        return parser.parse(fields);
    }

    private static String str(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String s && Ids.valid(s) ? s : null;
    }

    private static Map<String, Object> failure(int index, Object scanId, String code, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        if (scanId instanceof String id && Ids.valid(id)) m.put("scanId", id);
        m.put("code", code);
        m.put("reason", detail);
        return m;
    }

    /** Gate staff record for the events on their token; a scan naming another event refuses the whole request. */
    private static void authoriseScans(Caller caller, List<Map<String, Object>> scans) {
        boolean any = false;
        for (Map<String, Object> scan : scans) {
            if (scan.get("eventId") instanceof String eventId && Ids.valid(eventId)) {
                caller.require(Role.GATE_STAFF, eventId);
                any = true;
            }
        }
        if (!any && caller.roles().stream().noneMatch(role -> role.includes(Role.GATE_STAFF))) {
            throw Problem.forbidden("this needs the gate-staff role").failure();
        }
    }

    private APIGatewayV2HTTPResponse importParticipants(Request r, Caller caller) {
        String eventId = r.eventId(caller, Role.ORGANIZER);
        int limit = s.settings().maxSyncImportBytes();
        if (r.declaredLength() > limit || r.rawBodyLength() > limit * 4L / 3 + 4) {
            throw tooLargeForSync(limit).failure();
        }
        byte[] bytes = r.body(limit);
        if (bytes.length > limit) throw tooLargeForSync(limit).failure();
        String type = r.mediaType();
        boolean csv = "text/csv".equals(type);
        if (!csv && !JSON_TYPES.contains(type)) {
            throw Problem.unsupportedMediaType("send text/csv or application/json").failure();
        }
        existingEvent(eventId);
        String importId = UUID.nameUUIDFromBytes(r.requestId.getBytes(StandardCharsets.UTF_8)).toString();
        s.imports().started(eventId, importId, csv ? "csv" : "json", s.clock().instant());
        var run = new ParticipantImport(eventId, s.imports()::write);
        ParticipantImport.Report report;
        try {
            report = csv ? run.fromCsv(utf8(bytes)) : run.fromJson(bytes);
        } catch (Problem.Failure f) {
            Object partial = f.problem().extensions().get("partialReport");
            s.imports().finished(eventId, importId, "failed",
                    partial instanceof Map<?, ?> m ? cast(m) : Map.of("error", f.problem().detail()), s.clock().instant());
            throw f.problem().with("importId", importId).failure();
        }
        s.imports().finished(eventId, importId, "completed", report.toMap(), s.clock().instant());
        s.counts().recount(eventId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("importId", importId);
        answer.put("eventId", eventId);
        answer.put("status", "completed");
        answer.put("report", report.toMap());
        return json(201, answer, Map.of("Location", "/api/v1/events/" + eventId + "/participants/imports/" + importId));
    }

    private static Problem tooLargeForSync(int limit) {
        return Problem.tooLarge(limit, "larger files are imported asynchronously (a presigned upload and an import "
                + "function that writes the same status item); see asynchronousFlow")
                .with("asynchronousFlow", "docs/api.md#large-participant-imports");
    }

    private APIGatewayV2HTTPResponse attendanceCsv(Request r, Caller caller) {
        String eventId = r.eventId(caller, Role.VIEWER);
        var q = AttendanceQuery.parse(eventId, r.query(), AttendanceQuery.MAX_CSV_LIMIT);
        var page = s.attendance().query(q);
        StringBuilder csv = new StringBuilder(Csv.line(List.of("scanId", "participantId", "gateId", "timestamp",
                "direction", "method", "outcome", "reason", "detail", "firstScanId", "receivedAt")));
        for (Outcome o : page.records()) {
            Map<String, Object> m = ScanRequests.record(o);
            List<String> row = new ArrayList<>();
            for (String c : List.of("scanId", "participantId", "gateId", "timestamp", "direction", "method", "outcome",
                    "reason", "detail", "firstScanId", "receivedAt")) {
                row.add(m.get(c) == null ? "" : m.get(c).toString());
            }
            csv.append(Csv.line(row));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/csv; charset=utf-8");
        headers.put("Content-Disposition", "attachment; filename=\"attendance-" + eventId + ".csv\"");
        if (page.lastKey() != null) headers.put("Next-Cursor", q.encodeCursor(page.lastKey()));
        return response(200, csv.toString(), headers);
    }

    private APIGatewayV2HTTPResponse stats(Request r, Caller caller, String section) {
        String eventId = r.eventId(caller, Role.VIEWER);
        Map<String, Object> snapshot = snapshot(eventId);
        Map<String, Object> body = header(snapshot, eventId);
        Object value = snapshot.get(section);
        body.put(section, value == null ? (section.equals("hourly") || section.equals("alerts") ? List.of() : Map.of()) : value);
        return json(200, body);
    }

    private Map<String, Object> snapshot(String eventId) {
        return s.statistics().snapshot(eventId).orElseThrow(() -> Problem.notFound("no_statistics",
                "No statistics yet", "no scan of this event has been counted yet").failure());
    }

    private static Map<String, Object> header(Map<String, Object> snapshot, String eventId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("lastUpdated", snapshot.get("lastUpdated"));
        return body;
    }

    private AttendanceEvent existingEvent(String eventId) {
        return s.reference().lookup(List.of(new ReferenceKey.OfEvent(eventId))).event(eventId).orElseThrow(() ->
                Problem.notFound("event_not_found", "Event not found", null).failure());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw Problem.invalidBody("CSV: not UTF-8").failure();
        }
    }

    // ---- the HTTP side ----

    /** One request as the routes see it: lower-case headers, the body decoded and size-checked on demand. */
    private static final class Request {
        final APIGatewayV2HTTPEvent event;
        final Map<String, String> params;
        final Map<String, String> headers = new LinkedHashMap<>();
        final String requestId;
        final Instant receivedAt;
        final String path;

        Request(APIGatewayV2HTTPEvent event, Map<String, String> params, String requestId, Instant receivedAt) {
            this.event = event;
            this.params = params;
            this.requestId = requestId;
            this.receivedAt = receivedAt;
            this.path = event.getRawPath();
            if (event.getHeaders() != null) event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }

        String header(String name) {
            return headers.get(name);
        }

        String param(String name) {
            return params.get(name);
        }

        Map<String, String> query() {
            return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        }

        String eventId(Caller caller, Role needed) {
            String eventId = Ids.require("eventId", param("eventId"));
            caller.require(needed, eventId);
            return eventId;
        }

        String mediaType() {
            String type = header("content-type");
            if (type == null) return "application/json";
            int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }

        long declaredLength() {
            String length = header("content-length");
            return length != null && length.matches("[0-9]{1,18}") ? Long.parseLong(length) : -1;
        }

        long rawBodyLength() {
            return event.getBody() == null ? 0 : event.getBody().length();
        }

        byte[] body(int limit) {
            String raw = event.getBody();
            if (raw == null) return new byte[0];
            if (raw.length() > (event.getIsBase64Encoded() ? limit * 4L / 3 + 4 : limit)) {
                throw Problem.tooLarge(limit, "at most " + limit + " bytes").failure();
            }
            byte[] bytes;
            if (event.getIsBase64Encoded()) {
                try {
                    bytes = Base64.getDecoder().decode(raw);
                } catch (IllegalArgumentException e) {
                    throw Problem.invalidBody("body: bad base64 from the gateway").failure();
                }
            } else {
                bytes = raw.getBytes(StandardCharsets.UTF_8);
            }
            if (bytes.length > limit) throw Problem.tooLarge(limit, "at most " + limit + " bytes").failure();
            return bytes;
        }

        Map<String, Object> jsonObject(int limit) {
            if (!JSON_TYPES.contains(mediaType())) throw Problem.unsupportedMediaType("send application/json").failure();
            return StrictJson.object(body(limit));
        }
    }

    static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", "application/json");
        return response(status, write(body), headers);
    }

    static APIGatewayV2HTTPResponse problem(Problem p, String path, String requestId) {
        return problem(p, path, requestId, Map.of());
    }

    static APIGatewayV2HTTPResponse problem(Problem p, String path, String requestId, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", Problem.MEDIA_TYPE);
        if (p.status() == 401) headers.put("WWW-Authenticate", "Bearer");
        if (p.status() == 405 && p.extensions().get("allow") instanceof String allow) headers.put("Allow", allow);
        if (p.status() == 503) headers.put("Retry-After", "1");
        Map<String, Object> doc = p.toMap(null);
        doc.put("requestId", requestId);
        return response(p.status(), write(doc), headers);
    }

    private static APIGatewayV2HTTPResponse response(int status, String body, Map<String, String> headers) {
        var response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(status);
        response.setHeaders(headers);
        response.setBody(body);
        response.setIsBase64Encoded(false);
        return response;
    }

    private static String write(Object body) {
        try {
            return JSON.std.asString(body);
        } catch (IOException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) context.getLogger().log(line);
        else System.err.println(line);
    }
}
