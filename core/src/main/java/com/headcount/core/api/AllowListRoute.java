package com.headcount.core.api;

import com.headcount.core.access.Caller;
import com.headcount.core.allowlist.AllowListAnswers;
import com.headcount.core.allowlist.AllowLists;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A staff phone at a gate asks for the gate's allow-list over HTTP, as a gate does over MQTT: the same answer
 * ({@link AllowLists#ask}), so the phone decides offline with the list and rules the gates use. Authorised as recording
 * a scan at that gate is, since the list is what a scan there is decided with.
 */
final class AllowListRoute {

    private final AllowListAnswers answers;
    private final SetupRoutes setup;

    /** @param answers null where allow-lists are not deployed */
    AllowListRoute(AllowListAnswers answers, SetupRoutes setup) {
        this.answers = answers;
        this.setup = setup;
    }

    ApiResponse get(ApiRequest r, Caller caller) {
        String eventId = Ids.require("eventId", r.param("eventId"));
        String gateId = Ids.require("gateId", r.param("gateId"));
        caller.requireGate(eventId, gateId);
        Long haveVersion = haveVersion(r.query().get("haveVersion"));
        if (answers == null) {
            throw Problem.of(503, "allowlist_unavailable", "Allow-lists are not deployed here",
                    "this stage has no allow-list bucket").failure();
        }
        AllowLists.Answer answer = answers.ask(eventId, gateId, haveVersion).orElseThrow(() -> {
            // only on the way to a 404: the answer itself does not tell an unknown event from an unknown gate
            setup.existingEvent(eventId);
            return Problem.notFound("gate_not_found", "Gate not found", "no gate " + gateId + " in this event").failure();
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", answer.eventId());
        body.put("gateId", answer.gateId());
        body.put("version", answer.list().version());
        body.put("sha256", answer.list().sha256());
        if (answer.url() != null) {
            body.put("url", answer.url().toString());
            body.put("urlExpiresAt", answer.urlExpiresAt().toString());
        }
        // the URL is a credential for a few minutes: no cache may keep it
        return ApiResponse.json(200, body, Map.of("Cache-Control", "no-store"));
    }

    private static Long haveVersion(String value) {
        if (value == null) return null;
        if (!value.matches("[0-9]{1,18}")) {
            throw Problem.invalidParameter("haveVersion: the version the phone holds, a non-negative integer").failure();
        }
        return Long.parseLong(value);
    }
}
