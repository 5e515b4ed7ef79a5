package com.headcount.core.decision;

/**
 * Sorts an error met while deciding one scan. A transient one (a throttle, an outage, a timeout, a store still being
 * set up) stops the batch at that scan so it is delivered again. A permanent one belongs to the scan as sent: retrying
 * would fail the same way forever and hold up every later scan of its stream, so the scan is stored as
 * {@link RejectReason#UNPROCESSABLE} with the reason, and the batch goes on.
 */
@FunctionalInterface
public interface FailureClassifier {

    enum Kind { TRANSIENT, PERMANENT }

    Kind classify(RuntimeException e);

    /** Without a store to ask: the core's own transient failures are retried, any other error is the scan's. */
    FailureClassifier CORE = e -> e instanceof TransientFailure ? Kind.TRANSIENT : Kind.PERMANENT;

    /** A failure that says itself it is worth retrying (e.g. a window that kept changing under contention). */
    class TransientFailure extends RuntimeException {
        public TransientFailure(String message) {
            super(message);
        }

        public TransientFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
