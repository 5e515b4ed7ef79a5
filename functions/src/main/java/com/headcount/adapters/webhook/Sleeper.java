package com.headcount.adapters.webhook;

import java.time.Duration;

/** Waits between attempts; tests pass one that records the delay instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
