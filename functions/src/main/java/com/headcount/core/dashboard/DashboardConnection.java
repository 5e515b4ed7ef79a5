package com.headcount.core.dashboard;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A dashboard connected to an event's live feed.
 *
 * @param expiresAt when API Gateway will have closed it at the latest (two hours after connecting): the stored item's
 *                  TTL, so a connection whose $disconnect never ran does not stay forever
 */
public record DashboardConnection(String connectionId, String eventId, String subject, Set<String> sections,
                                  Instant connectedAt, Instant expiresAt) {

    public DashboardConnection {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(eventId, "eventId");
        sections = Set.copyOf(sections);
    }
}
