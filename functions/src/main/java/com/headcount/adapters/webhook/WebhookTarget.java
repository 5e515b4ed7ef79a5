package com.headcount.adapters.webhook;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.scan.IdRule;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One webhook receiver: its URL (https), the events whose alerts it subscribed to, and its own signing secret, so a
 * receiver can verify only what was meant for it and a leaked secret signs for one receiver only.
 *
 * <p>{@value #VARIABLE} holds the targets as JSON, secrets by reference only:
 * {@code [{"name":"ops","url":"https://...","events":["demo-day"],"secretId":"arn:aws:secretsmanager:..."}]}. Locally
 * a target may name {@code "secretFile"} or {@code "secretEnv"} instead; in AWS the CDK app writes only
 * {@code secretId}, and the secret is read from Secrets Manager at the target's first delivery.
 */
public record WebhookTarget(String name, URI url, Set<String> events, Supplier<WebhookSecret> secret) {

    public static final String VARIABLE = "HEADCOUNT_WEBHOOK_TARGETS";

    public WebhookTarget {
        if (name == null || !IdRule.valid(name)) throw new IllegalArgumentException("webhook target: name must be an id");
        WebhookConfig.requireHttps(url);
        events = Set.copyOf(events);
        if (events.isEmpty()) throw new IllegalArgumentException("webhook target " + name + ": names no event");
        for (String e : events) {
            if (!IdRule.valid(e)) throw new IllegalArgumentException("webhook target " + name + ": events must be event ids");
        }
        secret = memoised(secret);
    }

    public boolean wants(String eventId) {
        return events.contains(eventId);
    }

    /**
     * @param secretsManager reads a secret by id (in AWS); called at the first delivery, never while parsing, so a
     *                       SnapStart snapshot taken after start-up holds no secret
     * @param env            for {@code secretEnv} (local only)
     */
    public static List<WebhookTarget> parse(String json, Function<String, String> secretsManager, Map<String, String> env) {
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(VARIABLE + ": not JSON");
        }
        if (!(parsed instanceof List<?> list)) throw new IllegalArgumentException(VARIABLE + ": expected a JSON array");
        List<WebhookTarget> targets = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(VARIABLE + ": each target is an object");
            String name = string(m, "name");
            if (!names.add(name)) throw new IllegalArgumentException(VARIABLE + ": target " + name + " twice");
            List<String> events = m.get("events") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
            Supplier<WebhookSecret> secret;
            if (m.get("secretId") instanceof String id) {
                secret = () -> WebhookSecret.of(secretsManager.apply(id));
            } else if (m.get("secretFile") instanceof String file) {
                secret = () -> {
                    try {
                        return WebhookSecret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).trim());
                    } catch (IOException e) {
                        throw new IllegalStateException("webhook target " + name + ": cannot read its secret file");
                    }
                };
            } else if (m.get("secretEnv") instanceof String variable) {
                secret = () -> WebhookSecret.fromEnvironment(env, variable);
            } else {
                throw new IllegalArgumentException(VARIABLE + ": target " + name + " has no secretId, secretFile or secretEnv");
            }
            targets.add(new WebhookTarget(name, URI.create(string(m, "url")), new LinkedHashSet<>(events), secret));
        }
        return List.copyOf(targets);
    }

    private static String string(Map<?, ?> m, String field) {
        if (m.get(field) instanceof String s && !s.isBlank()) return s;
        throw new IllegalArgumentException(VARIABLE + ": a target lacks " + field);
    }

    /** Read once, at first use; a failed read is tried again at the next delivery. */
    private static Supplier<WebhookSecret> memoised(Supplier<WebhookSecret> read) {
        return new Supplier<>() {
            private volatile WebhookSecret value;

            @Override
            public WebhookSecret get() {
                WebhookSecret v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) value = read.get();
                        v = value;
                    }
                }
                return v;
            }
        };
    }

    // the URL may hold a receiver's token
    @Override
    public String toString() {
        return "WebhookTarget[" + name + ", host=" + url.getHost() + ", events=" + events + "]";
    }
}
