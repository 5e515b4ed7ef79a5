package com.headcount.core.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * One target's circuit breaker. After {@code threshold} failures in a row it opens: the target is not tried (its
 * alerts are recorded as failed at once) until the cool-down has passed; then one alert is tried, and a success
 * closes it while a failure opens it again for twice as long, up to {@code maxCoolDown}. So a dead endpoint costs a
 * few timeouts, then nothing, and comes back on its own once it answers.
 */
public final class Circuit {

    /** @param threshold failures in a row that open the circuit */
    public record Settings(int threshold, Duration coolDown, Duration maxCoolDown) {

        public static final Settings DEFAULT = new Settings(2, Duration.ofMinutes(1), Duration.ofMinutes(15));

        public Settings {
            if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1");
            if (coolDown.isNegative() || maxCoolDown.compareTo(coolDown) < 0) {
                throw new IllegalArgumentException("need 0 ≤ coolDown ≤ maxCoolDown");
            }
        }
    }

    private final Settings settings;
    private int failuresInARow;
    private Instant openUntil;
    private Duration nextCoolDown;

    public Circuit(Settings settings) {
        this.settings = settings;
        this.nextCoolDown = settings.coolDown();
    }

    public synchronized boolean allows(Instant now) {
        return openUntil == null || !now.isBefore(openUntil);
    }

    public synchronized void succeeded() {
        failuresInARow = 0;
        openUntil = null;
        nextCoolDown = settings.coolDown();
    }

    public synchronized void failed(Instant now) {
        failuresInARow++;
        if (failuresInARow >= settings.threshold()) {
            openUntil = now.plus(nextCoolDown);
            Duration doubled = nextCoolDown.multipliedBy(2);
            nextCoolDown = doubled.compareTo(settings.maxCoolDown()) > 0 ? settings.maxCoolDown() : doubled;
        }
    }
}
