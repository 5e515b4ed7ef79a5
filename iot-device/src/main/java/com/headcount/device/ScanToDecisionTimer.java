package com.headcount.device;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Times each scan from the moment the gate made it to its decision, and remembers which scan ids this gate sent so
 * that a decision for any other can be told apart. Bounded: decisions that never come (a backend outage) must not
 * grow the gate's memory without end.
 */
final class ScanToDecisionTimer {

    private static final long UNSET = Long.MIN_VALUE;

    private final LatencyStats scanToDecision;
    private final LatencyStats queueWait;
    /** Live scans not yet decided: {made, last published} in nanoTime. */
    private final Map<String, long[]> timings;
    /** Every scan id published in this run, the most recent ones kept. */
    private final Map<String, Boolean> sent;

    ScanToDecisionTimer(LatencyStats scanToDecision, LatencyStats queueWait, int maxOutstanding, int maxRemembered) {
        this.scanToDecision = scanToDecision;
        this.queueWait = queueWait;
        this.timings = bounded(maxOutstanding);
        this.sent = bounded(maxRemembered);
    }

    /** A scan made now with the gate online: its decision will be timed from here. */
    synchronized void made(String scanId, long nanoTime) {
        timings.put(scanId, new long[] {nanoTime, UNSET});
    }

    synchronized void published(String scanId, long nanoTime) {
        sent.put(scanId, Boolean.TRUE);
        long[] timing = timings.get(scanId);
        if (timing != null) {
            // the queue wait ends with the publish that got through, so a resend moves it
            timing[1] = nanoTime;
        }
    }

    /** Whether this gate published the scan in this run (decisions for others are not for this gate). */
    synchronized boolean sent(String scanId) {
        return scanId != null && sent.containsKey(scanId);
    }

    synchronized Optional<ScanTiming> decided(String scanId, long nanoTime) {
        long[] timing = scanId == null ? null : timings.remove(scanId);
        if (timing == null || timing[1] == UNSET) {
            return Optional.empty();
        }
        var result = new ScanTiming(Duration.ofNanos(nanoTime - timing[0]), Duration.ofNanos(timing[1] - timing[0]));
        scanToDecision.record(result.scanToDecision());
        queueWait.record(result.queueWait());
        return Optional.of(result);
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
