package com.headcount.core.decision;

/**
 * Why a scan was refused. The codes are a stable contract with devices, dashboards and API clients;
 * the HTTP status is what the synchronous API answers with.
 */
public enum RejectReason {
    MALFORMED("malformed", 400, "Scan is malformed"),
    /** Over MQTT only: the body names another event or gate than the topic it was published on. */
    TOPIC_MISMATCH("topic_mismatch", 400, "Scan names another event or gate than its topic"),
    PARTICIPANT_NOT_FOUND("participant_not_found", 404, "Participant not found"),
    PARTICIPANT_INACTIVE("participant_inactive", 400, "Participant is not active"),
    GATE_NOT_FOUND("gate_not_found", 404, "Gate not found or inactive"),
    OUTSIDE_EVENT_WINDOW("outside_event_window", 400, "Scan time is outside the event's window"),
    CLOCK_SKEW("clock_skew", 400, "Scan time is ahead of the time it was received"),
    /** Over HTTP only: dated further back than the event's httpScanMaxAge before it arrived. */
    SCAN_TOO_OLD("scan_too_old", 400, "Scan time is too long before the time it was received"),
    /**
     * The store refused the scan as sent (a permanent error, not a throttle or an outage): kept as this reject with
     * the store's reason, so one bad message never holds its stream up.
     */
    UNPROCESSABLE("unprocessable", 422, "Scan could not be stored as sent"),
    /**
     * The scan id is held by another body (another time) whose outcome is not stored yet: the first body keeps the
     * id, and this one is stored by its source with this reason, so it neither takes the id nor is lost.
     */
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused", 422, "Scan id already used for another scan");

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
