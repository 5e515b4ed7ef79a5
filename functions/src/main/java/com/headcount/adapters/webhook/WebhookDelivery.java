package com.headcount.adapters.webhook;

import java.net.URI;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome for one URL.
 *
 * @param lastStatus the HTTP status of the last attempt; empty if it got no response (connection error, timeout)
 * @param lastError  what went wrong on the last attempt, if it was not a response
 */
public record WebhookDelivery(URI url, boolean delivered, int attempts, OptionalInt lastStatus,
                              Optional<String> lastError) {

    static WebhookDelivery delivered(URI url, int attempts, int status) {
        return new WebhookDelivery(url, true, attempts, OptionalInt.of(status), Optional.empty());
    }

    static WebhookDelivery failed(URI url, int attempts, OptionalInt status, Optional<String> error) {
        return new WebhookDelivery(url, false, attempts, status, error);
    }

    // Webhook URLs often carry their own token in the path (Slack, Teams): print only where it went.
    @Override
    public String toString() {
        String where = url.getScheme() + "://" + url.getAuthority() + "/…";
        return "WebhookDelivery[" + where + (delivered ? " delivered" : " failed") + " after " + attempts
                + " attempt(s)" + (lastStatus.isPresent() ? ", last status " + lastStatus.getAsInt() : "")
                + lastError.map(e -> ", " + e).orElse("") + "]";
    }
}
