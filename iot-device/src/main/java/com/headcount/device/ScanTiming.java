package com.headcount.device;

import java.time.Duration;

/**
 * How long a participant waited at the gate for one scan's decision.
 *
 * @param scanToDecision from the moment the gate made the scan to the decision's arrival, time in the gate's own
 *                       queue included: what the person at the gate feels
 * @param queueWait      the part of it before the scan was published (for the last time): the gate's own backlog
 */
public record ScanTiming(Duration scanToDecision, Duration queueWait) {

    /** From the publish to the decision: the backend's part (broker, stream, function, the way back). */
    public Duration publishToDecision() {
        return scanToDecision.minus(queueWait);
    }
}
