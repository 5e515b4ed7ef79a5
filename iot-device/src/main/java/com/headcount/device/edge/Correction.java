package com.headcount.device.edge;

import com.headcount.core.allowlist.EdgeRules;

/**
 * The cloud decided a scan otherwise than the gate did. The cloud's decision is final; the gate shows this and logs it,
 * and its window follows the cloud (a scan the cloud did not accept stops holding it, one it accepted starts to).
 *
 * @param cloudOutcome accepted, duplicate or rejected
 * @param cloudReason  the reject reason code, when rejected
 */
public record Correction(String scanId, String participantId, EdgeRules.Provisional gate, String cloudOutcome,
                         String cloudReason) {

    public enum Kind {
        /** The gate let someone in whom the cloud refused (or counted as a duplicate). */
        GATE_ACCEPTED_CLOUD_REFUSED,
        /** The gate refused someone the cloud accepted. */
        GATE_REFUSED_CLOUD_ACCEPTED,
        /** Both refused, for different reasons. */
        OTHER_REASON
    }

    public Kind kind() {
        if (gate.verdict().wireName().equals("accepted")) return Kind.GATE_ACCEPTED_CLOUD_REFUSED;
        if ("accepted".equals(cloudOutcome)) return Kind.GATE_REFUSED_CLOUD_ACCEPTED;
        return Kind.OTHER_REASON;
    }

    public String describe() {
        return "correction for " + scanId + " (" + participantId + "): the gate said " + gate.verdict().wireName()
                + (gate.reason() == null ? "" : " (" + gate.reason().code() + ")") + ", the cloud decided " + cloudOutcome
                + (cloudReason == null ? "" : " (" + cloudReason + ")");
    }
}
