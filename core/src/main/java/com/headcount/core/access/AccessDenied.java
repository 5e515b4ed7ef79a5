package com.headcount.core.access;

/**
 * A caller refused on its claims. It lives here, not as an API problem, so that the access rules stay below the
 * API that answers them; {@code code} is the stable part the API hands clients.
 */
public final class AccessDenied extends RuntimeException {

    /** No verified token at all: 401. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** The token lacks the role in the event: 403. */
    public static final String FORBIDDEN = "forbidden";
    /** A Headcount claim the token carries is not in its documented shape: 403, whatever else it grants. */
    public static final String INVALID_CLAIMS = "invalid_claims";
    /** A gate-staff token scanning at a gate it does not name: 403. */
    public static final String GATE_NOT_GRANTED = "gate_not_granted";

    private final String code;
    private final String detail;

    AccessDenied(String code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
        this.detail = detail;
    }

    public int status() {
        return code.equals(UNAUTHORIZED) ? 401 : 403;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }
}
