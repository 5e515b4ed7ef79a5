package com.headcount.core.decision;

import com.headcount.core.scan.GateMessage;
import java.util.List;

/**
 * Tells each gate what became of its scans, on `headcount/{stage}/{eventId}/gates/{gateId}/decisions`. Best effort: the
 * outcome is stored whatever happens here, and a gate that misses a decision loses only its display and its
 * scan-to-decision measurement.
 */
public interface GateFeedback {

    GateFeedback NONE = outcomes -> {};

    void tell(List<Outcome> outcomes);

    static String decisionsTopic(String stage, String eventId, String gateId) {
        return GateMessage.topic(stage, eventId, gateId, "decisions");
    }
}
