package com.headcount.core.reference;

/** Someone registered for an event; only {@code active} participants may come in. */
public record Participant(String eventId, String participantId, String status) {

    public static final String ACTIVE = "active";

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
