package com.headcount.core.allowlist;

import com.headcount.core.scan.GateMessage;

/**
 * The allow-list's MQTT topics as the cloud names them, under the stage like every gate topic
 * ({@link GateMessage#topic}); the gate's {@code GateTopics} names the same, and the gate policy and topic rule
 * (infra-cdk {@code AllowLists} and {@code IotCore}, locally {@code AllowListRule}) grant and route them.
 */
public final class AllowListTopics {

    private AllowListTopics() {}

    /** Where a gate asks (body {@code {"eventId", "haveVersion"}}). */
    public static String request(String stage, String eventId, String gateId) {
        return GateMessage.topic(stage, eventId, gateId, "allowlist/get");
    }

    /** The cloud's answer to one gate. */
    public static String answer(String stage, String eventId, String gateId) {
        return GateMessage.topic(stage, eventId, gateId, "allowlist");
    }

    /** Every gate of the event listens here for deltas. */
    public static String deltas(String stage, String eventId) {
        return GateMessage.TOPIC_ROOT + "/" + stage + "/" + eventId + "/allowlist/deltas";
    }

    /**
     * The stage's request rule: the event and gate from the topic (what the gate's policy let it publish on), the
     * version from the body. Its FROM names the stage, so a rule never hears another stage's gates.
     */
    public static String ruleSql(String stage) {
        return "SELECT topic(3) AS eventId, topic(5) AS gateId, haveVersion FROM '" + request(stage, "+", "+") + "'";
    }
}
