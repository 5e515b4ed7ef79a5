package com.headcount.core.api;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the API answers, before a gateway turns it into its own response type. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static ApiResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    public static ApiResponse json(int status, Object body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", "application/json");
        return new ApiResponse(status, headers, write(body));
    }

    /** An RFC 9457 problem document with the request's id, and the headers its status calls for. */
    public static ApiResponse problem(Problem p, String requestId, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", Problem.MEDIA_TYPE);
        if (p.status() == 401) headers.put("WWW-Authenticate", "Bearer");
        if (p.status() == 405 && p.extensions().get("allow") instanceof String allow) headers.put("Allow", allow);
        if (p.status() == 503) headers.put("Retry-After", "1");
        if (p.status() == 429 && p.extensions().get("retryAfterSeconds") instanceof Number n) {
            headers.put("Retry-After", Long.toString(n.longValue()));
        }
        Map<String, Object> doc = p.toMap(null);
        doc.put("requestId", requestId);
        return new ApiResponse(p.status(), headers, write(doc));
    }

    static ApiResponse text(int status, String body, Map<String, String> headers) {
        return new ApiResponse(status, Map.copyOf(headers), body);
    }

    private static String write(Object body) {
        try {
            return JSON.std.asString(body);
        } catch (IOException e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }
}
