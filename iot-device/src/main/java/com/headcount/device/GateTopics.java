package com.headcount.device;

import java.util.Objects;

/**
 * Where a gate publishes and listens: {@code headcount/<stage>/<event>/gates/<gate>/<scans|status|decisions|allowlist>}
 * and its event's {@code headcount/<stage>/<event>/allowlist/deltas}. The
 * stage is in every topic because the stages of one AWS account share its broker: without it a dev gate with prod's
 * event and gate ids would be counted by prod and told prod's decisions.
 *
 * @param stage           the deployment the gate belongs to (its certificate's policy names the same one)
 * @param scanTopicPrefix put in front of the scans topic only: {@code $aws/rules/<ruleName>/} in AWS, so scans go
 *                        through IoT Basic Ingest straight to the topic rule (no broker fan-out, no messaging cost);
 *                        empty locally
 */
public record GateTopics(String stage, String eventId, String gateId, String scanTopicPrefix) {

    /** The local stack's stage, where a gate is pointed when nothing says otherwise. */
    public static final String LOCAL_STAGE = "local";

    public GateTopics {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(gateId, "gateId");
        scanTopicPrefix = scanTopicPrefix == null ? "" : scanTopicPrefix;
        if (!scanTopicPrefix.isEmpty() && !scanTopicPrefix.endsWith("/")) {
            scanTopicPrefix = scanTopicPrefix + "/";
        }
        if (!stage.matches("[a-z][a-z0-9]{0,11}")) {
            throw new IllegalArgumentException("not a stage (a lowercase letter, then up to 11 lowercase letters or "
                    + "digits): '" + stage + "'");
        }
        for (String level : new String[] {eventId, gateId}) {
            if (level.isEmpty() || level.contains("/") || level.contains("+") || level.contains("#")) {
                throw new IllegalArgumentException("not usable as a topic level: '" + level + "'");
            }
        }
    }

    /** A local-stack gate's topics. */
    public static GateTopics local(String eventId, String gateId) {
        return new GateTopics(LOCAL_STAGE, eventId, gateId, "");
    }

    public String scans() {
        return scanTopicPrefix + topic("scans");
    }

    /** The gate's heartbeats (and, from the broker, its last will). */
    public String status() {
        return topic("status");
    }

    public String decisions() {
        return topic("decisions");
    }

    private String topic(String kind) {
        return eventTopic() + "/gates/" + gateId + "/" + kind;
    }

    private String eventTopic() {
        return "headcount/" + stage + "/" + eventId;
    }

    /** Where the gate asks for its event's allow-list (body: the version it holds). */
    public String allowListRequest() {
        return topic("allowlist/get");
    }

    /** Where the cloud answers it: the current version, its SHA-256 and, unless the gate is current, a URL to fetch it. */
    public String allowList() {
        return topic("allowlist");
    }

    /** The event's allow-list changes, one message for every gate of the event. */
    public String allowListDeltas() {
        return eventTopic() + "/allowlist/deltas";
    }
}
