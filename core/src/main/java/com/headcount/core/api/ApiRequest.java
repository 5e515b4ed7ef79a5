package com.headcount.core.api;

import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP request as the routes see it, whatever gateway it came through: lower-case headers, the path's
 * parameters once matched, the body decoded and size-checked on demand.
 *
 * @param receivedAt when the gateway received it: a scan's arrival time for the clock-skew rule
 * @param claims     the verified token's claims as the gateway passes them (strings), null without a token
 */
public record ApiRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                         String body, boolean base64, String requestId, Instant receivedAt,
                         Map<String, String> claims, Map<String, String> params) {

    static final Set<String> JSON_TYPES = Set.of("application/json");

    public ApiRequest {
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = lower;
        query = query == null ? Map.of() : query;
        params = params == null ? Map.of() : params;
    }

    ApiRequest withParams(Map<String, String> matched) {
        return new ApiRequest(method, path, headers, query, body, base64, requestId, receivedAt, claims, matched);
    }

    String header(String name) {
        return headers.get(name);
    }

    String param(String name) {
        return params.get(name);
    }

    /** The path's event id, after checking the caller holds {@code needed} in it. */
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
        return body == null ? 0 : body.length();
    }

    byte[] body(int limit) {
        if (body == null) return new byte[0];
        if (body.length() > (base64 ? limit * 4L / 3 + 4 : limit)) {
            throw Problem.tooLarge(limit, "at most " + limit + " bytes").failure();
        }
        byte[] bytes;
        if (base64) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw Problem.invalidBody("body: bad base64 from the gateway").failure();
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > limit) throw Problem.tooLarge(limit, "at most " + limit + " bytes").failure();
        return bytes;
    }

    void requireJson() {
        if (!JSON_TYPES.contains(mediaType())) throw Problem.unsupportedMediaType("send application/json").failure();
    }

    Map<String, Object> jsonObject(int limit) {
        requireJson();
        return StrictJson.object(body(limit));
    }
}
