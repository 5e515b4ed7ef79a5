package com.headcount.core.alerts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Empties an event's outbox after the write that decided its alerts: each alert is stored in the history (one item
 * per id, so a repeat changes nothing) and put on `statistics-updates` (`alert.raised`), then taken out of the outbox.
 * A crash in between repeats it with the same id. Both are our own stores; integrations (EventBridge, webhooks) read
 * `alert.raised` apart (AlertDelivery), so a dead integration never holds up counting.
 */
public final class AlertOutbox {

    private final AlertHistory store;
    private final List<AlertChannel> channels;

    public AlertOutbox(AlertHistory store, List<AlertChannel> channels) {
        this.store = store;
        this.channels = List.copyOf(channels);
    }

    /** @return the alerts handed over */
    public List<Alert> deliver(String eventId, Collection<Alert> outbox) {
        if (outbox.isEmpty()) return List.of();
        List<Alert> sent = new ArrayList<>(outbox);
        for (Alert alert : sent) {
            store.recordAlert(alert);
            for (AlertChannel channel : channels) channel.send(alert);
        }
        store.delivered(eventId, sent.stream().map(Alert::id).toList());
        return sent;
    }
}
