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

    /**
     * The gate's own answer, at once, before the scan is sent (called on the thread that submitted the scan, once the
     * scan is on disk). A provisional answer only: the cloud's {@link #onDecision} is final.
     */
    default void onProvisional(com.headcount.device.edge.GateAnswer answer) {
    }

    /** The cloud decided otherwise than the gate's provisional answer: show it (the gate also logs it). */
    default void onCorrection(com.headcount.device.edge.Correction correction) {
    }
}
