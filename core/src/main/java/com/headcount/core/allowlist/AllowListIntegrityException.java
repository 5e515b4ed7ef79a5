package com.headcount.core.allowlist;

/** What a gate loaded is not what the cloud published: wrong hash, wrong version, wrong event, or unreadable. */
public final class AllowListIntegrityException extends RuntimeException {

    public AllowListIntegrityException(String message) {
        super(message);
    }

    public AllowListIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
