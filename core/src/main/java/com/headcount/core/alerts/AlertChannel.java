package com.headcount.core.alerts;

/**
 * Somewhere a raised alert goes: EventBridge, signed webhooks, the `statistics-updates` stream. Delivery is at least
 * once: an alert is sent again if the function stops before it is marked delivered; its id stays the same.
 */
public interface AlertChannel {

    /** Throws when the alert could not be handed over and should be sent again with the next batch. */
    void send(Alert alert);
}
