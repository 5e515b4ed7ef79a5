package com.headcount.core.reference;

/**
 * A gate of one event.
 *
 * @param capacityPerMinute how many people the gate lets through a minute at full speed
 */
public record Gate(String eventId, String gateId, String name, boolean active, int capacityPerMinute) {

    public Gate {
        name = name == null ? gateId : name;
        if (capacityPerMinute < 0) throw new IllegalArgumentException("capacityPerMinute must not be negative");
    }
}
