package com.headcount.device;

import java.util.Objects;

/**
 * Where a gate publishes and listens.
 *
 * @param scanTopicPrefix put in front of the scans topic only: {@code $aws/rules/<ruleName>/} in AWS, so scans go
 *                        through IoT Basic Ingest straight to the topic rule (no broker fan-out, no messaging cost);
 *                        empty locally
 */
public record GateTopics(String eventId, String gateId, String scanTopicPrefix) {

    public GateTopics {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(gateId, "gateId");
        scanTopicPrefix = scanTopicPrefix == null ? "" : scanTopicPrefix;
        if (!scanTopicPrefix.isEmpty() && !scanTopicPrefix.endsWith("/")) {
            scanTopicPrefix = scanTopicPrefix + "/";
        }
        for (String level : new String[] {eventId, gateId}) {
            if (level.isEmpty() || level.contains("/") || level.contains("+") || level.contains("#")) {
                throw new IllegalArgumentException("not usable as a topic level: '" + level + "'");
            }
        }
    }

    public String scans() {
        return scanTopicPrefix + "attendance/" + eventId + "/gates/" + gateId + "/scans";
    }

    /** The gate's heartbeats (and, from the broker, its last will). */
    public String status() {
        return "attendance/" + eventId + "/gates/" + gateId + "/status";
    }

    public String decisions() {
        return "attendance/" + eventId + "/gates/" + gateId + "/decisions";
    }

    /** Where the gate asks for its event's allow-list (body: the version it holds). */
    public String allowListRequest() {
        return "attendance/" + eventId + "/gates/" + gateId + "/allowlist/get";
    }

    /** Where the cloud answers it: the current version, its SHA-256 and, unless the gate is current, a URL to fetch it. */
    public String allowList() {
        return "attendance/" + eventId + "/gates/" + gateId + "/allowlist";
    }

    /** The event's allow-list changes, one message for every gate of the event. */
    public String allowListDeltas() {
        return "attendance/" + eventId + "/allowlist/deltas";
    }
}
