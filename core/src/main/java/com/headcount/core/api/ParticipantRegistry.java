package com.headcount.core.api;

import com.headcount.core.reference.Participant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Participants as the organiser imports them, the status of each import, and the count of active participants. */
public interface ParticipantRegistry {

    /** Stores one chunk of an import; returns when all of it is stored. */
    void write(List<Participant> participants);

    void started(String eventId, String importId, String format, Instant at);

    void finished(String eventId, String importId, String status, Map<String, Object> report, Instant at);

    Optional<Map<String, Object>> importStatus(String eventId, String importId);

    /** @return the status before, empty when the participant does not exist */
    Optional<String> setStatus(String eventId, String participantId, String status);

    /** Counts the event's active participants again, after a bulk change. */
    void recount(String eventId);

    /** Keeps the active count right after one participant's status changed. */
    void statusChanged(String eventId, String before, String after);
}
