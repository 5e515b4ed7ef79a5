package com.headcount.adapters.webhook;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.stats.Alert;
import com.headcount.core.stats.AlertChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Raised alerts to the configured webhook URLs, signed, with the sender's retries and backoff. A receiver still
 * failing after those retries is logged, not thrown: it must not hold the statistics of every event back, and the
 * alert stays readable in the history (and on EventBridge).
 */
public final class WebhookAlerts implements AlertChannel {

    private static final System.Logger LOG = System.getLogger(WebhookAlerts.class.getName());

    private final WebhookSender sender;

    public WebhookAlerts(WebhookSender sender) {
        this.sender = sender;
    }

    @Override
    public void send(Alert alert) {
        String body;
        try {
            body = JSON.std.asString(alert.toMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<WebhookDelivery> deliveries = sender.send(body);
        for (WebhookDelivery d : deliveries) {
            if (!d.delivered()) LOG.log(System.Logger.Level.WARNING, "alert {0} not delivered to a webhook: {1}", alert.id(), d);
        }
    }
}
