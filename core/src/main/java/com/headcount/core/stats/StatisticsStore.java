package com.headcount.core.stats;

import com.headcount.core.alerts.AlertHistory;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Where the statistics live (DynamoDB in AWS). Every write is conditional on the version it was read at. */
public interface StatisticsStore extends AlertHistory {

    /** Strongly consistent: a retry must see what the failed attempt wrote. Absent participants are left out. */
    Map<String, ParticipantClaims> claims(String eventId, Collection<String> participantIds);

    /** Claim pages, strongly consistent; pages not stored yet come back empty. */
    Map<ClaimPage.Key, ClaimPage> pages(String eventId, Collection<ClaimPage.Key> keys);

    /**
     * Writes the changed pages, then the changed participant items (see {@link ParticipantClaims} for why in that
     * order); throws when one was changed meanwhile (the batch is then retried).
     */
    void saveClaims(Collection<ParticipantClaims> changed);

    /**
     * Of these refused scans (edge mismatches, one item each beside their participant's claims), the ones claimed
     * already, by scan id, with the occurrence that claimed them; strongly consistent.
     */
    Map<String, Occurrence> refusalClaims(String eventId, Collection<StreamedScan> refusals);

    /** Claims these refused scans for their occurrences; throws when one was claimed meanwhile (the batch is retried). */
    void saveRefusalClaims(String eventId, Collection<StreamedScan> claimed);

    /** The overall and gate items, and the hour items named; strongly consistent. */
    EventAggregates aggregates(String eventId, Collection<String> hourKeys);

    /** All aggregates and the alert history, strongly consistent, in one read: what the clock evaluates. */
    EventStatistics everything(String eventId);

    /** @return false when the item was written by someone else since it was read */
    boolean save(String eventId, Aggregate aggregate);

    /** The overall item with the alert states and the outbox. */
    boolean saveOverall(String eventId, EventAggregates aggregates);

    /** Active participants of the event (a counter kept by whoever imports or changes participants). */
    long activeParticipants(String eventId);

    /**
     * Accepted scans of an event the statistics cannot find even with a strongly consistent read: kept one item per
     * scan, so they are visible and can be counted again if the event comes back, never dropped in silence.
     */
    void recordUncounted(String eventId, List<StreamedScan> scans, Instant at);
}
