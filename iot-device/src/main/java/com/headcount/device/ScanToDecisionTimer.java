package com.headcount.device;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers when each scan was published so its decision can be timed. Bounded: decisions that never come
 * (a backend outage) must not grow the gate's memory without end.
 */
final class ScanToDecisionTimer {

    private final LatencyStats stats;
    private final Map<String, Long> publishedAtNanos;

    ScanToDecisionTimer(LatencyStats stats, int maxOutstanding) {
        this.stats = stats;
        this.publishedAtNanos = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxOutstanding;
            }
        };
    }

    /** A resend restarts the clock: the participant's wait is measured from the publish that got through. */
    synchronized void published(String scanId, long nanoTime) {
        publishedAtNanos.put(scanId, nanoTime);
    }

    synchronized Optional<Duration> decided(String scanId, long nanoTime) {
        Long publishedAt = scanId == null ? null : publishedAtNanos.remove(scanId);
        if (publishedAt == null) {
            return Optional.empty();
        }
        Duration latency = Duration.ofNanos(nanoTime - publishedAt);
        stats.record(latency);
        return Optional.of(latency);
    }
}
