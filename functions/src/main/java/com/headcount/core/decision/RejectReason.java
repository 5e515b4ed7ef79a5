package com.headcount.core.decision;

/**
 * Why a scan was refused. The codes are a stable contract with devices, dashboards and API clients;
 * the HTTP status is what the synchronous API answers with.
 */
public enum RejectReason {
    MALFORMED("malformed", 400, "Scan is malformed"),
    PARTICIPANT_NOT_FOUND("participant_not_found", 404, "Participant not found"),
    PARTICIPANT_INACTIVE("participant_inactive", 400, "Participant is not active"),
    GATE_NOT_FOUND("gate_not_found", 404, "Gate not found or inactive"),
    OUTSIDE_EVENT_WINDOW("outside_event_window", 400, "Scan time is outside the event's window"),
    CLOCK_SKEW("clock_skew", 400, "Scan time is ahead of the time it was received");

    private final String code;
    private final int httpStatus;
    private final String title;

    RejectReason(String code, int httpStatus, String title) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    public static RejectReason fromCode(String code) {
        for (RejectReason r : values()) {
            if (r.code.equals(code)) return r;
        }
        throw new IllegalArgumentException("unknown reject reason " + code);
    }
}
