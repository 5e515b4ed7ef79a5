package com.headcount.core.allowlist;

/**
 * Told after every write that changes what a gate decides with: an event's settings, a gate, a participant's status,
 * an import (once, at its end). The API calls it after its write has succeeded, so the rebuild reads the new data.
 */
@FunctionalInterface
public interface AllowListChanges {

    /** For a deployment or a test without allow-lists. */
    AllowListChanges NONE = eventId -> { };

    void changed(String eventId);
}
