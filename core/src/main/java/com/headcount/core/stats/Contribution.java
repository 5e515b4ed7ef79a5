package com.headcount.core.stats;

/**
 * What one counted scan adds to the aggregates. The participant-level deltas are fixed when the scan is claimed and
 * stored with the claim, so a retry applies exactly the same numbers.
 *
 * @param attendedDelta 1 when this scan made its participant attended (their first accepted entry), else 0
 * @param insideDelta   the change of "inside now" (the latest accepted scan by scan time is an entry): -1, 0 or 1
 */
public record Contribution(StreamedScan scan, int attendedDelta, int insideDelta) {}
