package com.headcount.core.time;

import java.time.Duration;

/** Waits between attempts; tests pass one that records the delay (or moves their clock) instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps; an interruption keeps the thread's flag and ends the caller's work with an exception. */
    default void pause(Duration duration) {
        try {
            sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
