package com.headcount.core.delivery;

import com.headcount.core.alerts.Alert;
import java.time.Instant;

/**
 * An alert a target did not take: kept (one record per alert and target) for the organiser's integration owner and
 * for a redrive, with the delivery id a receiver would have seen.
 *
 * @param tries  requests made (0 when the target's circuit was open and nothing was tried)
 * @param reason the last error, or {@value #CIRCUIT_OPEN}
 */
public record DeliveryFailure(Alert alert, String target, String deliveryId, int tries, String reason, Instant failedAt) {

    public static final String CIRCUIT_OPEN = "circuit_open";
}
