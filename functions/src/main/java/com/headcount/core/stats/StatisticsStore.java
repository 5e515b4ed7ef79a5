package com.headcount.core.stats;

import java.util.Collection;
import java.util.Map;

/** Where the statistics live (DynamoDB in AWS). Every write is conditional on the version it was read at. */
public interface StatisticsStore {

    /** Strongly consistent: a retry must see what the failed attempt wrote. Absent participants come back empty. */
    Map<String, ParticipantClaims> claims(String eventId, Collection<String> participantIds);

    /** Writes the claims that changed; throws when one was changed meanwhile (the batch is then retried). */
    void saveClaims(Collection<ParticipantClaims> changed);

    /** The overall and gate items, and the hour items named; strongly consistent. */
    EventAggregates aggregates(String eventId, Collection<String> hourKeys);

    /** @return false when the item was written by someone else since it was read */
    boolean save(String eventId, Aggregate aggregate);

    /** The overall item with the alert states, the outbox and the last publication time. */
    boolean saveOverall(String eventId, EventAggregates aggregates);

    /** Active participants of the event (a counter kept by whoever imports or changes participants). */
    long activeParticipants(String eventId);

    /** The alert history: one item per alert id, so a repeated write changes nothing. */
    void recordAlert(Alert alert);

    /** Takes delivered alerts out of the event's outbox. */
    void delivered(String eventId, Collection<String> alertIds);
}
