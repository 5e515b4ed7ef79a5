package com.headcount.bench.load;

import com.headcount.device.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the publishers saw during one run: scans made, decisions per scan, and the timings of the measured ones. */
final class Tracker {

    private final Map<String, Boolean> measured = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> decisions = new ConcurrentHashMap<>();
    private final AtomicLong made = new AtomicLong();
    private final AtomicLong decided = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final List<Long> scanToDecision = new ArrayList<>();
    private final List<Long> queueWait = new ArrayList<>();

    /** A scan was made; {@code measure} is false during the warm-up. */
    void made(String scanId, boolean measure) {
        measured.put(scanId, measure);
        made.incrementAndGet();
    }

    /** A decision arrived; its times when the publisher knows them ({@code queueWaitNanos} < 0: unknown). */
    void decided(Decision decision, long scanToDecisionNanos, long queueWaitNanos) {
        Boolean measure = measured.get(decision.scanId());
        if (measure == null) {
            foreign.incrementAndGet();
            return;
        }
        int count = decisions.computeIfAbsent(decision.scanId(), k -> new AtomicInteger()).incrementAndGet();
        if (count > 1) {
            return;
        }
        decided.incrementAndGet();
        if (measure && scanToDecisionNanos >= 0) {
            synchronized (this) {
                scanToDecision.add(scanToDecisionNanos);
                if (queueWaitNanos >= 0) {
                    queueWait.add(queueWaitNanos);
                }
            }
        }
    }

    long made() {
        return made.get();
    }

    long decided() {
        return decided.get();
    }

    /** Decisions for scan ids this run did not make. */
    long foreign() {
        return foreign.get();
    }

    /** The most decisions any one scan received (1 when every scan was told once). */
    int mostDecisionsForOneScan() {
        return decisions.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    synchronized Percentiles scanToDecision() {
        return Percentiles.of(scanToDecision);
    }

    synchronized Percentiles queueWait() {
        return Percentiles.of(queueWait);
    }
}
