package com.headcount.core.decision;

import com.headcount.core.scan.Scan;

/** A scan's identity: its device-made id, within its event. */
public record ScanRef(String eventId, String scanId) {

    public static ScanRef of(Scan scan) {
        return new ScanRef(scan.eventId(), scan.scanId());
    }
}
