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
 * @param attemptTimeout the longest one attempt may take, from sending to the response status
 */
public record WebhookConfig(List<URI> urls, WebhookSecret secret, RetryPolicy retry, Duration attemptTimeout) {

    public static final String URLS_VARIABLE = "HEADCOUNT_WEBHOOK_URLS";
    public static final String SECRET_VARIABLE = "HEADCOUNT_WEBHOOK_SECRET";
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    public WebhookConfig {
        urls = List.copyOf(urls);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(retry, "retry");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attempt timeout must be positive");
        }
        for (URI url : urls) {
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("webhook URLs must be http or https");
            }
        }
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
