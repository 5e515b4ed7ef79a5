package com.headcount.adapters.webhook;

import com.headcount.core.time.RetryPolicy;
import com.headcount.core.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Delivers an alert's JSON body to every configured URL, signed (see {@link WebhookSignature}).
 *
 * <p>Each request carries:
 * <ul>
 *   <li>{@code X-Headcount-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>}, signed afresh for
 *       each attempt so a late retry still falls inside the receiver's tolerance;</li>
 *   <li>{@code X-Headcount-Delivery: <id>}, the caller's id of the alert, the same for all attempts and every
 *       redelivery, so a receiver can drop the duplicate a timed-out-but-processed attempt leaves behind;</li>
 *   <li>{@code X-Headcount-Attempt: <n>}.</li>
 * </ul>
 * 2xx is delivered. 429, 5xx, connection errors and timeouts are retried with backoff (a {@code Retry-After} in
 * seconds lengthens the wait, up to the policy's maximum). Any other status is final. URLs are served one
 * after the other; the result list follows the configured order.
 */
public final class WebhookSender {

    public static final String DELIVERY_HEADER = "X-Headcount-Delivery";
    public static final String ATTEMPT_HEADER = "X-Headcount-Attempt";
    private static final String USER_AGENT = "Headcount-Webhooks/1";

    private final WebhookConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public WebhookSender(WebhookConfig config, HttpClient http, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** For production: one HTTP client for the life of the Lambda instance, real clock and sleep. */
    public static WebhookSender create(WebhookConfig config) {
        return new WebhookSender(config, httpClient(config.attemptTimeout()), Clock.systemUTC(), Sleeper.REAL,
                RandomGenerator.getDefault());
    }

    /** HTTP/1.1 (what webhook receivers expect), no redirects: a signed body goes only where it was configured. */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    /** @param deliveryId the same for every attempt (and every redelivery) of this body */
    public List<WebhookDelivery> send(String alertJson, String deliveryId) {
        List<WebhookDelivery> results = new ArrayList<>(config.urls().size());
        for (URI url : config.urls()) {
            results.add(deliver(url, alertJson, deliveryId));
        }
        return List.copyOf(results);
    }

    /** One URL, with the policy's retries. */
    public WebhookDelivery deliver(URI url, String alertJson, String deliveryId) {
        if (config.secret() == null) throw new IllegalStateException("no shared secret: each target brings its own");
        return deliver(url, config.secret(), alertJson, deliveryId);
    }

    /** One URL signed with its own target's secret. */
    public WebhookDelivery deliver(URI url, WebhookSecret secret, String alertJson, String deliveryId) {
        return sendTo(url, secret, alertJson.getBytes(StandardCharsets.UTF_8), deliveryId);
    }

    private WebhookDelivery sendTo(URI url, WebhookSecret secret, byte[] body, String deliveryId) {
        RetryPolicy retry = config.retry();
        OptionalInt lastStatus = OptionalInt.empty();
        Optional<String> lastError = Optional.empty();
        Duration retryAfter = Duration.ZERO;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (attempt > 1) {
                Duration wait = retry.delayBefore(attempt, random);
                if (retryAfter.compareTo(wait) > 0) {
                    wait = retryAfter.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : retryAfter;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return WebhookDelivery.failed(url, attempt - 1, lastStatus, Optional.of("interrupted"));
                }
            }
            try {
                HttpResponse<Void> response = http.send(request(url, secret, body, deliveryId, attempt),
                        HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return WebhookDelivery.delivered(url, attempt, status);
                }
                lastStatus = OptionalInt.of(status);
                lastError = Optional.empty();
                if (!retryable(status)) {
                    return WebhookDelivery.failed(url, attempt, lastStatus, lastError);
                }
                retryAfter = retryAfter(response);
            } catch (IOException e) {
                // Connection refused or reset, DNS, HttpTimeoutException: the receiver may be back in a moment.
                lastStatus = OptionalInt.empty();
                lastError = Optional.of(e.getClass().getSimpleName());
                retryAfter = Duration.ZERO;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return WebhookDelivery.failed(url, attempt, lastStatus, Optional.of("interrupted"));
            }
        }
        return WebhookDelivery.failed(url, retry.maxAttempts(), lastStatus, lastError);
    }

    private HttpRequest request(URI url, WebhookSecret secret, byte[] body, String deliveryId, int attempt) {
        return HttpRequest.newBuilder(url)
                .timeout(config.attemptTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, clock.instant(), body))
                .header(DELIVERY_HEADER, deliveryId)
                .header(ATTEMPT_HEADER, Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    static boolean retryable(int status) {
        return status == 429 || status / 100 == 5;
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .flatMap(v -> {
                    try {
                        return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
                    } catch (NumberFormatException e) {
                        return Optional.empty(); // an HTTP date: the exponential backoff will do
                    }
                })
                .orElse(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "WebhookSender[" + config + "]";
    }
}
