package com.headcount.core.time;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Bounded retries with exponential backoff and "equal jitter": before attempt n (n ≥ 2) wait a random time in
 * [e/2, e] where e = min(maxDelay, baseDelay·2^(n−2)). The jitter spreads receivers' recovery load; keeping half
 * of e fixed means each wait is at least as long as the one before.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 ≤ baseDelay ≤ maxDelay");
        }
    }

    /** The wait before attempt {@code attempt} (2 for the first retry). */
    public Duration delayBefore(int attempt, RandomGenerator random) {
        Duration exponential = ceiling(attempt);
        long halfNanos = exponential.toNanos() / 2;
        return Duration.ofNanos(halfNanos + (long) (random.nextDouble() * (exponential.toNanos() - halfNanos)));
    }

    /** The upper bound e of the wait before {@code attempt}. */
    public Duration ceiling(int attempt) {
        int doublings = Math.min(attempt - 2, 30);
        Duration e = baseDelay.multipliedBy(1L << Math.max(0, doublings));
        return e.compareTo(maxDelay) > 0 ? maxDelay : e;
    }
}
