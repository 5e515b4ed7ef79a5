package com.headcount.local.stack;

import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The one seam through which a chaos run reaches inside a running stack: {@code -Dheadcount.faults=CLASS} names an
 * implementation (public, no-argument constructor) that the stack loads at start. Without the property there is no
 * hook and nothing changes; the stack itself injects nothing. {@code bin/bench chaos} is its only user.
 */
public interface FaultHook {

    String PROPERTY = "headcount.faults";

    /** Sees every request the functions, the topic rule and the event source mappings send to the emulators. */
    ExecutionInterceptor interceptor();

    /** Once everything has started: the hook may then act on the stack (restart its broker, say). */
    default void started(LocalStack stack) {
    }

    /** The hook {@link #PROPERTY} names, or null. */
    static FaultHook configured() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) return null;
        try {
            return (FaultHook) Class.forName(name.trim()).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + name + " is not a FaultHook: " + e, e);
        }
    }
}
