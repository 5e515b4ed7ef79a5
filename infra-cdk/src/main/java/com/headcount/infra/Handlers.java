package com.headcount.infra;

/**
 * The handler classes of the functions jar that the stack deploys. A box whose handler is null is not built (a
 * test stack may leave one out).
 */
public record Handlers(
        String ingest,
        String stats,
        String api,
        String publishRetry,
        String statsClock,
        String alertDelivery,
        DashboardFeed dashboardFeed) {

    private static final String PACKAGE = "com.headcount.handlers.";

    /**
     * The dashboards' WebSocket API: its three routes ({@code $connect} checks the single-use ticket the HTTP API
     * issued, so no token travels in a URL and no authorizer is needed), and the broadcaster on
     * {@code statistics-updates}.
     */
    public record DashboardFeed(String connect, String disconnect, String defaultRoute, String broadcast) {}

    /** The gates' allow-list requests (every stage has them: a gate without its list only waits longer). */
    public static final String ALLOW_LIST = PACKAGE + "AllowListFunction";

    /** What the functions jar holds today. */
    public static final Handlers TODAY = new Handlers(
            PACKAGE + "IngestFunction", PACKAGE + "StatsFunction", PACKAGE + "ApiFunction",
            PACKAGE + "PublishRetryFunction", PACKAGE + "StatsClockFunction", PACKAGE + "AlertDeliveryFunction", null)
            .withDashboardFeed(new DashboardFeed(PACKAGE + "DashboardConnectFunction",
                    PACKAGE + "DashboardDisconnectFunction", PACKAGE + "DashboardMessageFunction",
                    PACKAGE + "BroadcastFunction"));

    public Handlers withStatsClock(String handler) {
        return new Handlers(ingest, stats, api, publishRetry, handler, alertDelivery, dashboardFeed);
    }

    public Handlers withDashboardFeed(DashboardFeed feed) {
        return new Handlers(ingest, stats, api, publishRetry, statsClock, alertDelivery, feed);
    }

    /** The Lambda handler string of a class implementing RequestHandler. */
    public static String entry(String className) {
        return className + "::handleRequest";
    }
}
