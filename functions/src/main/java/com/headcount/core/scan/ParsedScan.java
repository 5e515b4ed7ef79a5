package com.headcount.core.scan;

/** What a raw scan message turned out to be: a scan to decide, or malformed input to record as such. */
public sealed interface ParsedScan {

    record Valid(Scan scan) implements ParsedScan {}

    /**
     * A message that cannot be decided. The fields that could be read are kept so the outcome can be
     * stored under the scan's own id and told back to its gate.
     *
     * @param problem stable, human-readable: "{field}: {what is wrong}"
     */
    record Malformed(String problem, String scanId, String eventId, String gateId, String participantId)
            implements ParsedScan {}
}
