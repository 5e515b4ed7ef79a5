package com.headcount.infra;

/**
 * The handler classes of the functions jar that the stack deploys. A box whose handler is null is not built: the
 * statistics clock arrives with issue 9, the dashboards' WebSocket handlers and broadcaster with issue 10.
 */
public record Handlers(
        String ingest,
        String stats,
        String api,
        String publishRetry,
        String statsClock,
        DashboardFeed dashboardFeed) {

    private static final String PACKAGE = "com.headcount.handlers.";

    /**
     * The dashboards' WebSocket API: the token check on {@code $connect}, its three routes, and the broadcaster on
     * {@code statistics-updates}.
     */
    public record DashboardFeed(String connectAuthorizer, String connect, String disconnect, String defaultRoute,
                                String broadcast) {}

    /** What the functions jar holds today. */
    public static final Handlers TODAY = new Handlers(
            PACKAGE + "IngestFunction", PACKAGE + "StatsFunction", PACKAGE + "ApiFunction",
            PACKAGE + "PublishRetryFunction", null, null);

    public Handlers withStatsClock(String handler) {
        return new Handlers(ingest, stats, api, publishRetry, handler, dashboardFeed);
    }

    public Handlers withDashboardFeed(DashboardFeed feed) {
        return new Handlers(ingest, stats, api, publishRetry, statsClock, feed);
    }

    /** The Lambda handler string of a class implementing RequestHandler. */
    public static String entry(String className) {
        return className + "::handleRequest";
    }
}
