package com.headcount.device.simulator;

/** A registered participant; an inactive one (cancelled ticket) is refused at every gate. */
public record SimulatedParticipant(String participantId, boolean active) {
}
