package com.headcount.device;

import java.util.Optional;

/** Shows the backend's decisions at the gate (a screen, a light, a beep). Called on the MQTT client's thread. */
@FunctionalInterface
public interface DecisionListener {

    /**
     * @param timing empty when the scan was not made live by this gate in this run: made while the gate was offline
     *               (its backlog, counted apart), or sent before a restart
     */
    void onDecision(Decision decision, Optional<ScanTiming> timing);
}
