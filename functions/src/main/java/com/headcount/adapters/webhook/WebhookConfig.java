package com.headcount.adapters.webhook;

import com.headcount.core.time.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where alerts go and how hard to try.
 *
 * @param secret         the one secret of {@link #urls}; null when the targets ({@link WebhookTarget}) bring their own
 * @param attemptTimeout the longest one attempt may take, from sending to the response status
 */
public record WebhookConfig(List<URI> urls, WebhookSecret secret, RetryPolicy retry, Duration attemptTimeout) {

    public static final String URLS_VARIABLE = "HEADCOUNT_WEBHOOK_URLS";
    public static final String SECRET_VARIABLE = "HEADCOUNT_WEBHOOK_SECRET";
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    public WebhookConfig {
        urls = List.copyOf(urls);
        // null when every target signs with a secret of its own (WebhookTarget)
        Objects.requireNonNull(retry, "retry");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attempt timeout must be positive");
        }
        for (URI url : urls) requireHttps(url);
    }

    /**
     * An alert names an event's gates and load: it goes over TLS only. Plain http is accepted for a loopback host
     * alone, where the local stack and the tests run their receivers.
     */
    public static void requireHttps(URI url) {
        if ("https".equals(url.getScheme()) && url.getHost() != null) return;
        if ("http".equals(url.getScheme()) && loopback(url.getHost())) return;
        throw new IllegalArgumentException("webhook URLs must be https (http only to a loopback host)");
    }

    private static boolean loopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                || host.equals("::1"));
    }

    /** How hard to try, for targets that each bring their URL and secret. */
    public static WebhookConfig forTargets() {
        return new WebhookConfig(List.of(), null, RetryPolicy.DEFAULT, DEFAULT_ATTEMPT_TIMEOUT);
    }

    /** {@value #URLS_VARIABLE}: comma-separated URLs; {@value #SECRET_VARIABLE}: the signing secret. */
    public static WebhookConfig fromEnvironment(Map<String, String> env) {
        List<URI> urls = Arrays.stream(env.getOrDefault(URLS_VARIABLE, "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(URI::create)
                .toList();
        return new WebhookConfig(urls, WebhookSecret.fromEnvironment(env, SECRET_VARIABLE), RetryPolicy.DEFAULT,
                DEFAULT_ATTEMPT_TIMEOUT);
    }

    // URLs may embed a receiver's token, so only their number is printed.
    @Override
    public String toString() {
        return "WebhookConfig[" + urls.size() + " url(s), secret=redacted, retry=" + retry
                + ", attemptTimeout=" + attemptTimeout + "]";
    }
}
