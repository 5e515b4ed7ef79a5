package com.headcount.core.reference;

import java.util.Map;
import java.util.Optional;

/** The answer to a {@link ReferenceData} look-up; keys that do not exist are simply absent. */
public record ReferenceSet(Map<ReferenceKey, Object> found) {

    public ReferenceSet {
        found = Map.copyOf(found);
    }

    public Optional<AttendanceEvent> event(String eventId) {
        return Optional.ofNullable((AttendanceEvent) found.get(new ReferenceKey.OfEvent(eventId)));
    }

    public Optional<Gate> gate(String eventId, String gateId) {
        return Optional.ofNullable((Gate) found.get(new ReferenceKey.OfGate(eventId, gateId)));
    }

    public Optional<Participant> participant(String eventId, String participantId) {
        return Optional.ofNullable((Participant) found.get(new ReferenceKey.OfParticipant(eventId, participantId)));
    }
}
