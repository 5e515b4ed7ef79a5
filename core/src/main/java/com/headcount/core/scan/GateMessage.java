package com.headcount.core.scan;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as the topic rule puts it on the {@code scans} stream: the gate's bytes, untouched, and the event and
 * gate named by the topic it was published on. The topic is what AWS IoT authorised the gate to publish to, so it,
 * not the body, says which gate is speaking (rule 1b of docs/architecture.md, "How a scan is decided"). The rule's
 * SQL ({@link #ruleSql}) makes exactly this record.
 *
 * @param eventId the topic's event id, or null when the record names none that is a valid id
 * @param gateId  the topic's gate id, or null likewise
 * @param problem why the record itself is unusable (not the rule's envelope), or null
 */
public record GateMessage(String eventId, String gateId, byte[] payload, String problem) {

    /**
     * The first level of every gate topic: {@code headcount/{stage}/{eventId}/gates/{gateId}/{scans|status|decisions}}.
     * The stage is the second level because stages share an account's one broker: without it a dev gate with prod's
     * event and gate ids would be heard by prod's rules and told prod's decisions.
     */
    public static final String TOPIC_ROOT = "headcount";

    /** A gate's topic of {@code kind} ({@code scans}, {@code status} or {@code decisions}) in {@code stage}. */
    public static String topic(String stage, String eventId, String gateId, String kind) {
        return TOPIC_ROOT + "/" + stage + "/" + eventId + "/gates/" + gateId + "/" + kind;
    }

    /**
     * The stage's scans topic rule's SQL (AWS IoT SQL 2016-03-23); the CDK app and the local rule bridge both use it.
     * Its FROM names the stage, so a rule never selects another stage's scans.
     */
    public static String ruleSql(String stage) {
        return "SELECT encode(*, 'base64') AS payload, topic(3) AS eventId, topic(5) AS gateId FROM '"
                + topic(stage, "+", "+", "scans") + "'";
    }

    /** A message published on the scans topic of {@code topicEventId}/{@code topicGateId}, ids not yet checked. */
    public static GateMessage fromTopic(String topicEventId, String topicGateId, byte[] payload) {
        return new GateMessage(IdRule.valid(topicEventId) ? topicEventId : null,
                IdRule.valid(topicGateId) ? topicGateId : null, payload, null);
    }

    /**
     * The record data the rule writes for a message on the scans topic of {@code topicEventId}/{@code topicGateId}:
     * the topic's segments as they are, checked only when read.
     */
    public static byte[] toRecord(String topicEventId, String topicGateId, byte[] payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        envelope.put("eventId", topicEventId);
        envelope.put("gateId", topicGateId);
        try {
            return JSON.std.asBytes(envelope);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a {@code scans} record; never throws: an unusable record is a message with a problem. */
    public static GateMessage fromRecord(byte[] data) {
        Map<String, Object> envelope;
        try {
            envelope = JSON.std.mapFrom(data);
        } catch (IOException | RuntimeException e) {
            envelope = null;
        }
        if (envelope == null || !(envelope.get("payload") instanceof String payload)) {
            return new GateMessage(null, null, new byte[0], "record: not the topic rule's envelope (payload missing)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            return new GateMessage(null, null, new byte[0], "record: payload is not base64");
        }
        return fromTopic(envelope.get("eventId") instanceof String e ? e : null,
                envelope.get("gateId") instanceof String g ? g : null, bytes);
    }
}
