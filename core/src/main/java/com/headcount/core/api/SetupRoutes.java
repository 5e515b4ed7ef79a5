package com.headcount.core.api;

import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import com.headcount.core.allowlist.AllowListChanges;
import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ReferenceKey;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The organiser's set-up: events, gates, participant imports and statuses. */
final class SetupRoutes {

    private final EventCatalog events;
    private final ParticipantRegistry participants;
    private final int maxSyncImportBytes;
    private final Clock clock;
    private final AllowListChanges allowLists;

    SetupRoutes(EventCatalog events, ParticipantRegistry participants, int maxSyncImportBytes, Clock clock,
                AllowListChanges allowLists) {
        this.allowLists = allowLists;
        this.events = events;
        this.participants = participants;
        this.maxSyncImportBytes = maxSyncImportBytes;
        this.clock = clock;
    }

    ApiResponse getEvent(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.VIEWER);
        return ApiResponse.json(200, EventSetup.toMap(existingEvent(eventId), events.edgePolicy(eventId)));
    }

    ApiResponse putEvent(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.ORGANIZER);
        Map<String, Object> body = r.jsonObject(ScanRoutes.MAX_JSON_BYTES);
        AttendanceEvent e = EventSetup.event(eventId, body);
        EdgePolicy edge = EventSetup.edgePolicy(body.get("edge"));
        events.save(e, edge);
        allowLists.changed(eventId);
        return ApiResponse.json(200, EventSetup.toMap(e, edge));
    }

    ApiResponse putGate(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.ORGANIZER);
        var gate = EventSetup.gate(eventId, Ids.require("gateId", r.param("gateId")), r.jsonObject(ScanRoutes.MAX_JSON_BYTES));
        existingEvent(eventId);
        events.save(gate);
        allowLists.changed(eventId);
        return ApiResponse.json(200, EventSetup.toMap(gate));
    }

    ApiResponse getImport(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.ORGANIZER);
        String importId = Ids.require("importId", r.param("importId"));
        return ApiResponse.json(200, participants.importStatus(eventId, importId).orElseThrow(() ->
                Problem.notFound("import_not_found", "Import not found", null).failure()));
    }

    ApiResponse putParticipantStatus(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.ORGANIZER);
        String participantId = Ids.require("participantId", r.param("participantId"));
        String status = EventSetup.participantStatus(r.jsonObject(ScanRoutes.MAX_JSON_BYTES));
        String before = participants.setStatus(eventId, participantId, status).orElseThrow(() ->
                Problem.notFound("participant_not_found", "Participant not found", null).failure());
        participants.statusChanged(eventId, before, status);
        if (!before.equals(status)) allowLists.changed(eventId);
        return ApiResponse.json(200, Map.of("eventId", eventId, "participantId", participantId, "status", status));
    }

    ApiResponse importParticipants(ApiRequest r, Caller caller) {
        String eventId = r.eventId(caller, Role.ORGANIZER);
        int limit = maxSyncImportBytes;
        if (r.declaredLength() > limit || r.rawBodyLength() > limit * 4L / 3 + 4) throw tooLargeForSync(limit).failure();
        byte[] bytes = r.body(limit);
        if (bytes.length > limit) throw tooLargeForSync(limit).failure();
        String type = r.mediaType();
        boolean csv = "text/csv".equals(type);
        if (!csv && !ApiRequest.JSON_TYPES.contains(type)) {
            throw Problem.unsupportedMediaType("send text/csv or application/json").failure();
        }
        existingEvent(eventId);
        String importId = UUID.nameUUIDFromBytes(r.requestId().getBytes(StandardCharsets.UTF_8)).toString();
        participants.started(eventId, importId, csv ? "csv" : "json", clock.instant());
        var run = new ParticipantImport(eventId, participants::write);
        ParticipantImport.Report report;
        try {
            report = csv ? run.fromCsv(utf8(bytes)) : run.fromJson(bytes);
        } catch (Problem.Failure f) {
            Object partial = f.problem().extensions().get("partialReport");
            participants.finished(eventId, importId, "failed",
                    partial instanceof Map<?, ?> m ? cast(m) : Map.of("error", f.problem().detail()), clock.instant());
            throw f.problem().with("importId", importId).failure();
        } finally {
            // whatever it wrote before it stopped counts: a failed or cut-short import changed participants too
            participants.recount(eventId);
            // once per import, at its end, not per chunk: one new version for the whole file
            allowLists.changed(eventId);
        }
        participants.finished(eventId, importId, "completed", report.toMap(), clock.instant());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("importId", importId);
        answer.put("eventId", eventId);
        answer.put("status", "completed");
        answer.put("report", report.toMap());
        return ApiResponse.json(201, answer,
                Map.of("Location", "/api/v1/events/" + eventId + "/participants/imports/" + importId));
    }

    AttendanceEvent existingEvent(String eventId) {
        return events.lookup(List.of(new ReferenceKey.OfEvent(eventId))).event(eventId).orElseThrow(() ->
                Problem.notFound("event_not_found", "Event not found", null).failure());
    }

    private static Problem tooLargeForSync(int limit) {
        return Problem.tooLarge(limit, "larger files are imported asynchronously (a presigned upload and an import "
                        + "function that writes the same status item); see asynchronousFlow")
                .with("asynchronousFlow", "docs/api.md#large-participant-imports");
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
}
