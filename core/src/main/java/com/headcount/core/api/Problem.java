package com.headcount.core.api;

import com.headcount.core.access.AccessDenied;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code code} is the stable, machine-readable part clients branch on (the decision
 * reason codes among them); title and detail are for people and may be reworded.
 *
 * @param extensions extra members (e.g. the first scan of a duplicate), added after the standard ones
 */
public record Problem(int status, String code, String title, String detail, Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Where the codes are described; a client may dereference it. */
    public static final String TYPE_BASE = "https://headcount.example/problems/";

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(status, code, title, detail, Map.of());
    }

    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        if (value != null) more.put(member, value);
        return new Problem(status, code, title, detail, more);
    }

    public Map<String, Object> toMap(String instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE_BASE + code);
        m.put("title", title);
        m.put("status", status);
        if (detail != null) m.put("detail", detail);
        if (instance != null) m.put("instance", instance);
        m.put("code", code);
        extensions.forEach(m::putIfAbsent);
        return m;
    }

    // The problems every route can answer, with their stable codes.

    public static Problem invalidBody(String detail) {
        return of(400, "invalid_body", "Request body is not acceptable", detail);
    }

    public static Problem invalidParameter(String detail) {
        return of(400, "invalid_parameter", "A path or query parameter is not acceptable", detail);
    }

    public static Problem tooLarge(long limit, String detail) {
        return of(413, "payload_too_large", "Request body is too large", detail).with("limitBytes", limit);
    }

    public static Problem unsupportedMediaType(String detail) {
        return of(415, "unsupported_media_type", "Content type not supported", detail);
    }

    public static Problem notFound(String code, String title, String detail) {
        return of(404, code, title, detail);
    }

    public static Problem unauthorized(String detail) {
        return of(401, "unauthorized", "A valid bearer token is required", detail);
    }

    public static Problem forbidden(String detail) {
        return of(403, "forbidden", "Not allowed for this token", detail);
    }

    /** A caller the access rules refused, with their stable code. */
    public static Problem denied(AccessDenied d) {
        return switch (d.code()) {
            case AccessDenied.UNAUTHORIZED -> unauthorized(d.detail());
            case AccessDenied.INVALID_CLAIMS -> of(403, d.code(), "The token's claims are malformed", d.detail());
            case AccessDenied.GATE_NOT_GRANTED -> of(403, d.code(), "Not allowed at this gate", d.detail());
            default -> of(d.status(), d.code(), "Not allowed for this token", d.detail());
        };
    }

    public static Problem unavailable(String detail) {
        return of(503, "unavailable", "Temporarily unavailable, retry with the same Idempotency-Key", detail);
    }

    /** Thrown by validation code so that a route reads top to bottom; the handler turns it into the answer. */
    public static final class Failure extends RuntimeException {
        private final transient Problem problem;

        public Failure(Problem problem) {
            super(problem.code() + ": " + problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public Failure failure() {
        return new Failure(this);
    }
}
