package com.headcount.device.simulator;

import com.headcount.device.Scan;

/**
 * One scan the simulator will make, in the order its gate makes it.
 *
 * @param whileGateOffline made while its gate had no connection: it waits in the gate's disk queue and goes out late
 */
public record PlannedScan(Scan scan, boolean whileGateOffline) {
}
