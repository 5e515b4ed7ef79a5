package com.headcount.adapters.eventbridge;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.stats.Alert;
import com.headcount.core.stats.AlertChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Raised alerts onto an EventBridge bus for integrations: source {@value #SOURCE}, detail-type the alert type
 * ({@code gate_overload}, {@code low_attendance}), detail the alert (with its deterministic id, for de-duplication
 * by rules' targets). A failed entry throws, so the alert stays in the outbox and is sent with the next attempt.
 */
public final class EventBridgeAlerts implements AlertChannel {

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
    public void send(Alert alert) {
        var response = events.putEvents(b -> b.entries(entry(busName, alert)));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            var failed = response.entries().get(0);
            throw new IllegalStateException("EventBridge refused alert " + alert.id() + ": " + failed.errorCode()
                    + " " + failed.errorMessage());
        }
    }
}
