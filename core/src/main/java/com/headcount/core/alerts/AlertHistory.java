package com.headcount.core.alerts;

import java.util.Collection;

/**
 * Where raised alerts are kept: the history, and the outbox they wait in until handed over. The statistics store is
 * one (the outbox is written with the counts that raised the alert); the port keeps alerts free of how counting is
 * stored.
 */
public interface AlertHistory {

    /** The alert history: one item per alert id, so a repeated write changes nothing. */
    void recordAlert(Alert alert);

    /** Takes delivered alerts out of the event's outbox. */
    void delivered(String eventId, Collection<String> alertIds);
}
