package com.headcount.device.simulator;

/** A gate of the simulated event: how many people a minute it lets through decides how many come to it. */
public record GateSpec(String gateId, String name, int capacityPerMinute) {
}
