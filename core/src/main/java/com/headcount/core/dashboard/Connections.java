package com.headcount.core.dashboard;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The open dashboard connections (DynamoDB in AWS: one item per connection, an index by event). */
public interface Connections {

    void add(DashboardConnection connection);

    /**
     * Removes that connection and no other; nothing happens when it is gone already.
     *
     * @return the connection removed; empty when it was gone already (so of two removals only one releases its counts)
     */
    Optional<DashboardConnection> remove(String connectionId);

    Optional<DashboardConnection> find(String connectionId);

    /**
     * Adds sections to the connection's subscription.
     *
     * @return the connection as it is now; empty when it is not (or no longer) stored
     */
    Optional<DashboardConnection> subscribe(String connectionId, Set<String> sections);

    /**
     * Every stored connection of the event (one read of the event's index entries), expired ones included: the
     * broadcaster closes and removes those.
     */
    List<DashboardConnection> of(String eventId);
}
