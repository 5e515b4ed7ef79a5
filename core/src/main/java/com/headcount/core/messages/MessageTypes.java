package com.headcount.core.messages;

/**
 * The {@code type} of every message put on {@code statistics-updates} or sent to a dashboard over the WebSocket, as
 * docs/asyncapi.yaml lists them. The producers and the consumers of these messages are deployed and changed apart, so
 * the names are defined here once; {@code AsyncApiSamplesTest} checks them against the contract. Copies that cannot
 * load this class say where they come from: the dashboard's JavaScript ({@code dashboard/src}) and the CDK app's
 * filter on {@link #ALERT_RAISED} ({@code infra-cdk}'s {@code AlertDelivery}, checked by its
 * {@code FunctionsTemplateTest}).
 */
public final class MessageTypes {

    /** An event's statistics snapshot: on {@code statistics-updates}, then pushed to the event's dashboards. */
    public static final String STATS_UPDATED = "stats.updated";
    /** A raised alert: on {@code statistics-updates}, pushed to dashboards and delivered to integrations. */
    public static final String ALERT_RAISED = "alert.raised";
    /** A dashboard's answer to {@code subscribe}, with the figures of its sections. */
    public static final String SUBSCRIBED = "subscribed";
    /** A dashboard's answer to {@code ping}. */
    public static final String PONG = "pong";
    /** A dashboard's answer to a message that could not be served; the connection stays open. */
    public static final String ERROR = "error";

    private MessageTypes() {}
}
