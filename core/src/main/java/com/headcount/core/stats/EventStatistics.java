package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import java.util.List;

/** Everything of one event's statistics as one read returns it: the aggregates and the alert history. */
public record EventStatistics(EventAggregates aggregates, List<Alert> history) {

    public EventStatistics {
        history = List.copyOf(history);
    }
}
