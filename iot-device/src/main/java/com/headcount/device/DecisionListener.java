package com.headcount.device;

import java.time.Duration;
import java.util.Optional;

/** Shows the backend's decisions at the gate (a screen, a light, a beep). Called on the MQTT client's thread. */
@FunctionalInterface
public interface DecisionListener {

    /**
     * @param scanToDecision from the scan's publish to this decision's arrival; empty when this gate did not
     *                       publish the scan in this run (e.g. sent before a restart)
     */
    void onDecision(Decision decision, Optional<Duration> scanToDecision);
}
