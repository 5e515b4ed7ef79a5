package com.headcount.adapters.eventbridge;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.Alert;
import com.headcount.core.delivery.AlertTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Raised alerts onto an EventBridge bus for integrations: source {@value #SOURCE}, detail-type the alert type
 * ({@code gate_overload}, {@code low_attendance}), detail the alert (with its deterministic id, for de-duplication
 * by rules' targets). Throttling and 5xx are retried by the SDK's own policy (backoff with jitter); a refused entry
 * or a refused request (a missing permission, a deleted bus) is a failed delivery, recorded by the caller.
 */
public final class EventBridgeAlerts implements AlertTarget {

    public static final String SOURCE = "headcount.statistics";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeAlerts(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    public static PutEventsRequestEntry entry(String busName, Alert alert) {
        try {
            return PutEventsRequestEntry.builder().eventBusName(busName).source(SOURCE).detailType(alert.type())
                    .resources(alert.eventId()).time(alert.raisedAt()).detail(JSON.std.asString(alert.toMap())).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "eventbridge:" + busName;
    }

    @Override
    public Attempt deliver(Alert alert, String deliveryId) {
        try {
            var response = events.putEvents(b -> b.entries(entry(busName, alert)));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                var failed = response.entries().get(0);
                return Attempt.failed(1, failed.errorCode() + ": " + failed.errorMessage());
            }
            return Attempt.delivered(1);
        } catch (AwsServiceException e) {
            return Attempt.failed(1, e.statusCode() + " " + e.awsErrorDetails().errorCode());
        } catch (SdkException e) {
            return Attempt.failed(1, e.getClass().getSimpleName());
        }
    }
}
