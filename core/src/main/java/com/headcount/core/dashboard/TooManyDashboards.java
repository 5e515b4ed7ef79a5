package com.headcount.core.dashboard;

/** A dashboard limit is reached ({@link DashboardLimits}): answered 429 with this code, retry after the seconds given. */
public final class TooManyDashboards extends RuntimeException {

    public static final String TOO_MANY_TICKETS = "too_many_tickets";
    public static final String TOO_MANY_CONNECTIONS = "too_many_connections";

    private final String code;
    private final long retryAfterSeconds;

    public TooManyDashboards(String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
