package com.headcount.core.reference;

/** What a scan needs to know about: its event, its gate, its participant. */
public sealed interface ReferenceKey {
    String eventId();

    record OfEvent(String eventId) implements ReferenceKey {}

    record OfGate(String eventId, String gateId) implements ReferenceKey {}

    record OfParticipant(String eventId, String participantId) implements ReferenceKey {}
}
