package com.headcount.core.scan;

/** What a raw scan message turned out to be: a scan to decide, or malformed input to record as such. */
public sealed interface ParsedScan {

    /**
     * @param provisional the message's {@code provisional} member as sent (what the gate showed when it decided on its
     *                    own, issue 18), or null when it had none. Read by the decision (its {@code Provisional}),
     *                    which owns verdicts and reasons: one that cannot be read never makes the scan invalid
     */
    record Valid(Scan scan, Object provisional) implements ParsedScan {
        /** A scan sent without a provisional verdict (older gates, staff phones). */
        public Valid(Scan scan) {
            this(scan, null);
        }
    }

    /**
     * A message that cannot be decided. The fields that could be read are kept so the outcome can be
     * stored under the scan's own id and told back to its gate.
     *
     * @param problem stable, human-readable: "{field}: {what is wrong}"
     */
    record Malformed(String problem, String scanId, String eventId, String gateId, String participantId)
            implements ParsedScan {

        /** Over MQTT the topic says which gate sent the message: that gate is answered, whatever the body says. */
        Malformed fromTopic(GateMessage m) {
            return new Malformed(problem, scanId, m.eventId(), m.gateId(), participantId);
        }
    }

    /**
     * A well-formed scan published on another gate's topic (rule 1b of docs/architecture.md, "How a scan is
     * decided"): a gate speaks only for itself. It is refused without touching the named event's records or windows,
     * and the topic's gate is answered.
     */
    record ForeignTopic(Scan scan, String topicEventId, String topicGateId) implements ParsedScan {

        public String problem() {
            return "published on the topic of event " + topicEventId + ", gate " + topicGateId + " but names event "
                    + scan.eventId() + ", gate " + scan.gateId();
        }
    }
}
