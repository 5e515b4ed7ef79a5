package com.headcount.adapters.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The shared HMAC key. Kept as bytes and never printed: {@link #toString()} is redacted so a logged config,
 * exception or record cannot leak it.
 */
public final class WebhookSecret {

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /** From a value the caller resolved (an environment variable, Secrets Manager, SSM Parameter Store). */
    public static WebhookSecret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("webhook secret is empty");
        }
        return new WebhookSecret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** From an environment variable; the error names the variable, never a value. */
    public static WebhookSecret fromEnvironment(Map<String, String> env, String variable) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " (webhook secret) is not set");
        }
        return of(value);
    }

    byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
