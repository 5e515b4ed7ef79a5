package com.headcount.core.dashboard;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A dashboard connected to an event's live feed.
 *
 * @param expiresAt when its authorisation ends: two hours after connecting (when API Gateway closes it) or when the
 *                  token that got its ticket expires, if sooner. The broadcaster closes it then; it is also the stored
 *                  item's TTL, so a connection whose $disconnect never ran does not stay forever
 */
public record DashboardConnection(String connectionId, String eventId, String subject, Set<String> sections,
                                  Instant connectedAt, Instant expiresAt) {

    public DashboardConnection {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(eventId, "eventId");
        sections = Set.copyOf(sections);
    }
}
