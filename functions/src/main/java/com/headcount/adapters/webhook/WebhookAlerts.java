package com.headcount.adapters.webhook;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.Alert;
import com.headcount.core.delivery.AlertTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Raised alerts to one webhook URL, signed, with the sender's retries and backoff, under the alert's stable delivery
 * id. One target per URL, so each has its own circuit.
 */
public final class WebhookAlerts implements AlertTarget {

    private final WebhookSender sender;
    private final URI url;
    private final String name;
    private final WebhookTarget target;

    /** @param index the URL's place in the configuration: names the target without printing the URL */
    public WebhookAlerts(WebhookSender sender, URI url, int index) {
        this.sender = sender;
        this.url = url;
        this.name = "webhook:" + index + ":" + url.getHost();
        this.target = null;
    }

    /** A target with its own secret and its events. */
    public WebhookAlerts(WebhookSender sender, WebhookTarget target) {
        this.sender = sender;
        this.url = target.url();
        this.name = "webhook:" + target.name();
        this.target = target;
    }

    /** One alert target per webhook target. */
    public static List<AlertTarget> of(WebhookSender sender, List<WebhookTarget> targets) {
        return targets.stream().<AlertTarget>map(t -> new WebhookAlerts(sender, t)).toList();
    }

    @Override
    public boolean wants(Alert alert) {
        return target == null || target.wants(alert.eventId());
    }

    /** One target per configured URL. */
    public static List<AlertTarget> all(WebhookSender sender, WebhookConfig config) {
        List<AlertTarget> targets = new ArrayList<>();
        for (int i = 0; i < config.urls().size(); i++) targets.add(new WebhookAlerts(sender, config.urls().get(i), i));
        return targets;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attempt deliver(Alert alert, String deliveryId) {
        String body;
        try {
            body = JSON.std.asString(alert.toMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebhookDelivery d = target == null ? sender.deliver(url, body, deliveryId)
                : sender.deliver(url, target.secret().get(), body, deliveryId);
        if (d.delivered()) return Attempt.delivered(d.attempts());
        String reason = d.lastStatus().isPresent() ? "HTTP " + d.lastStatus().getAsInt() : d.lastError().orElse("failed");
        return Attempt.failed(d.attempts(), reason);
    }
}
