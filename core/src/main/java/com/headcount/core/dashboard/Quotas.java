package com.headcount.core.dashboard;

import java.time.Instant;

/**
 * Counters with a ceiling, shared by every instance of a function (DynamoDB in AWS: one item per counter, changed by a
 * conditional update, so two instances racing for the last place cannot both get it).
 */
public interface Quotas {

    /**
     * Adds one unless the counter is at {@code cap}.
     *
     * @param removeAfter when the counter may go (a TTL): once nothing it counts can still be alive, so a count whose
     *                    releases were lost (a {@code $disconnect} that never ran) does not stay forever
     * @return whether it added one
     */
    boolean take(String key, int cap, Instant removeAfter);

    /** Takes one off; never below zero, nothing happens for a counter that is gone. */
    void release(String key);

    /** No ceilings at all: for tests of other things. */
    Quotas UNLIMITED = new Quotas() {
        @Override
        public boolean take(String key, int cap, Instant removeAfter) {
            return true;
        }

        @Override
        public void release(String key) {}
    };
}
