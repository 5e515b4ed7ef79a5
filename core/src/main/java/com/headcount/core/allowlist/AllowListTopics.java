package com.headcount.core.allowlist;

/**
 * The allow-list's MQTT topics as the cloud names them; the gate's {@code GateTopics} names the same, and the gate
 * policy and topic rule (infra-cdk {@code IotCore}, locally {@code AllowListRule}) grant and route them.
 */
public final class AllowListTopics {

    private AllowListTopics() {}

    /** Where a gate asks (body {@code {"eventId", "haveVersion"}}); the topic rule's filter. */
    public static final String REQUEST_FILTER = "attendance/+/gates/+/allowlist/get";

    /** The topic rule's SQL: the event and gate from the topic (what the gate's policy let it publish on), its version. */
    public static final String RULE_SQL = "SELECT topic(2) AS eventId, topic(4) AS gateId, haveVersion FROM '"
            + REQUEST_FILTER + "'";

    public static String request(String eventId, String gateId) {
        return "attendance/" + eventId + "/gates/" + gateId + "/allowlist/get";
    }

    /** The cloud's answer to one gate. */
    public static String answer(String eventId, String gateId) {
        return "attendance/" + eventId + "/gates/" + gateId + "/allowlist";
    }

    /** Every gate of the event listens here for deltas. */
    public static String deltas(String eventId) {
        return "attendance/" + eventId + "/allowlist/deltas";
    }
}
