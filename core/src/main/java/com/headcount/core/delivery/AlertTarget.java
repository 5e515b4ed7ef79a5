package com.headcount.core.delivery;

import com.headcount.core.alerts.Alert;

/** An integration raised alerts go to: an EventBridge bus, one webhook URL. */
public interface AlertTarget {

    /** Stable, for the circuit and the on-failure record; never a URL (webhook URLs may carry a token). */
    String name();

    /**
     * Hands the alert over, with this target's own retries and backoff, within its own time limit. May also throw:
     * that counts as a failed attempt.
     *
     * @param deliveryId the same for every attempt and every redelivery of this alert, for receivers to drop repeats
     */
    Attempt deliver(Alert alert, String deliveryId);

    /** Whether the target subscribed to this alert (a webhook names its events); one it did not is neither sent nor recorded. */
    default boolean wants(Alert alert) {
        return true;
    }

    /** @param reason why the last try failed (a status, an error code); null when delivered */
    record Attempt(boolean delivered, int tries, String reason) {

        public static Attempt delivered(int tries) {
            return new Attempt(true, tries, null);
        }

        public static Attempt failed(int tries, String reason) {
            return new Attempt(false, tries, reason);
        }
    }
}
