package com.headcount.adapters.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.webhook.Receiver.Answer;
import com.headcount.adapters.webhook.WebhookSignature.Verification;
import com.headcount.core.time.RetryPolicy;
import com.headcount.core.time.Sleeper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real HTTP receiver on loopback; backoff waits are recorded, not slept. */
class WebhookSenderTest {

    private static final String SECRET = "whsec_" + "a1b2c3d4e5f6";
    private static final String ALERT = "{\"alertId\":\"a-1\",\"type\":\"gate_overload\",\"gateId\":\"north\",\"load\":0.93}";
    private static final String DELIVERY_ID = "0b9f3c2e-5d61-3a4e-9e7a-1f2d3c4b5a69";
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8));

    private final Receiver receiver = new Receiver(SECRET);
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Sleeper recordingSleeper = waits::add;

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookSender sender(RetryPolicy retry, Duration attemptTimeout, String secret, URI... urls) {
        WebhookConfig config = new WebhookConfig(List.of(urls), WebhookSecret.of(secret), retry, attemptTimeout);
        return new WebhookSender(config, WebhookSender.httpClient(Duration.ofSeconds(2)), Clock.systemUTC(),
                recordingSleeper, new Random(7));
    }

    private WebhookSender sender(URI... urls) {
        return sender(FAST, Duration.ofSeconds(5), SECRET, urls);
    }

    @Test
    void deliversSignedOnTheFirstAttempt() {
        List<WebhookDelivery> results = sender(receiver.url("/hooks/ops")).send(ALERT, DELIVERY_ID);

        WebhookDelivery d = results.getFirst();
        assertTrue(d.delivered(), d.toString());
        assertEquals(1, d.attempts());
        assertEquals(200, d.lastStatus().orElseThrow());
        Receiver.Received r = receiver.received().getFirst();
        assertEquals(Verification.VALID, r.verification(), "the receiver verified the signature");
        assertEquals(ALERT, r.body(), "the raw body arrives byte for byte");
        assertTrue(waits.isEmpty(), "no backoff on success");
    }

    @Test
    void retriesTwo503sWithGrowingJitteredBackoffThenDelivers() {
        receiver.script("/hooks/ops", 503, 503);

        WebhookDelivery d = sender(receiver.url("/hooks/ops")).send(ALERT, DELIVERY_ID).getFirst();

        assertTrue(d.delivered(), d.toString());
        assertEquals(3, d.attempts());
        assertEquals(2, waits.size(), "a wait before each retry");
        assertBetween(waits.get(0), Duration.ofMillis(250), Duration.ofMillis(500), "first wait in [base/2, base]");
        assertBetween(waits.get(1), Duration.ofMillis(500), Duration.ofMillis(1000), "second wait in [base, 2·base]");
        assertTrue(waits.get(1).compareTo(waits.get(0)) >= 0, "waits grow: " + waits);
        List<Receiver.Received> got = receiver.received();
        assertEquals(List.of(503, 503, 200), got.stream().map(Receiver.Received::answered).toList());
        assertEquals(List.of(1, 2, 3), got.stream().map(Receiver.Received::attempt).toList());
        assertEquals(1, got.stream().map(Receiver.Received::deliveryId).distinct().count(),
                "one delivery id across retries, so the receiver can drop duplicates");
        assertEquals(DELIVERY_ID, got.getFirst().deliveryId(), "the caller's id, stable across redeliveries too");
        assertTrue(got.stream().allMatch(r -> r.verification() == Verification.VALID), "every attempt is signed");
    }

    @Test
    void doesNotRetryA400() {
        receiver.script("/hooks/ops", 400);

        WebhookDelivery d = sender(receiver.url("/hooks/ops")).send(ALERT, DELIVERY_ID).getFirst();

        assertFalse(d.delivered());
        assertEquals(1, d.attempts());
        assertEquals(400, d.lastStatus().orElseThrow());
        assertTrue(waits.isEmpty());
        assertEquals(1, receiver.received().size());
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastStatus() {
        receiver.script("/hooks/ops", 500, 502, 503, 504, 200);

        WebhookDelivery d = sender(receiver.url("/hooks/ops")).send(ALERT, DELIVERY_ID).getFirst();

        assertFalse(d.delivered());
        assertEquals(4, d.attempts(), "bounded by the policy");
        assertEquals(504, d.lastStatus().orElseThrow());
        assertEquals(3, waits.size());
        assertBetween(waits.get(2), Duration.ofMillis(1000), Duration.ofMillis(2000), "third wait in [2·base, 4·base]");
    }

    @Test
    void honoursRetryAfterOn429UpToTheMaximumDelay() {
        receiver.script("/hooks/ops", new Answer(429, "3", Duration.ZERO), new Answer(429, "3600", Duration.ZERO));

        WebhookDelivery d = sender(receiver.url("/hooks/ops")).send(ALERT, DELIVERY_ID).getFirst();

        assertTrue(d.delivered(), d.toString());
        assertEquals(3, d.attempts());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(8)), waits,
                "Retry-After 3 s, then 3600 s capped at the 8 s maximum");
    }

    @Test
    void aReceiverWithAnotherSecretRejectsTheSignatureAndThe401IsFinal() {
        WebhookDelivery d = sender(FAST, Duration.ofSeconds(5), "whsec_wrong", receiver.url("/hooks/ops"))
                .send(ALERT, DELIVERY_ID).getFirst();

        assertEquals(Verification.MISMATCH, receiver.received().getFirst().verification());
        assertFalse(d.delivered());
        assertEquals(401, d.lastStatus().orElseThrow());
        assertEquals(1, d.attempts());
    }

    @Test
    void aCapturedDeliveryFailsVerificationWhenTamperedOrReplayedLate() {
        sender(receiver.url("/hooks/ops")).send(ALERT, DELIVERY_ID);
        Receiver.Received captured = receiver.received().getFirst();
        Instant now = Instant.now();
        Duration tolerance = WebhookSignature.DEFAULT_TOLERANCE;

        assertEquals(Verification.VALID,
                WebhookSignature.verify(SECRET, captured.signature(), captured.body(), now, tolerance));
        assertEquals(Verification.MISMATCH, WebhookSignature.verify(SECRET, captured.signature(),
                captured.body().replace("0.93", "0.13"), now, tolerance), "tampered body");
        assertEquals(Verification.MISMATCH, WebhookSignature.verify("whsec_wrong", captured.signature(),
                captured.body(), now, tolerance), "wrong secret");
        assertEquals(Verification.STALE, WebhookSignature.verify(SECRET, captured.signature(), captured.body(),
                now.plus(Duration.ofMinutes(10)), tolerance), "replayed ten minutes later");
    }

    @Test
    void theReceiverRejectsARequestSignedLongAgo() {
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
        WebhookConfig config = new WebhookConfig(List.of(receiver.url("/hooks/ops")), WebhookSecret.of(SECRET),
                FAST, Duration.ofSeconds(5));
        WebhookSender late = new WebhookSender(config, WebhookSender.httpClient(Duration.ofSeconds(2)),
                Clock.fixed(tenMinutesAgo, java.time.ZoneOffset.UTC), recordingSleeper, new Random(7));

        WebhookDelivery d = late.send(ALERT, DELIVERY_ID).getFirst();

        assertEquals(Verification.STALE, receiver.received().getFirst().verification());
        assertEquals(401, d.lastStatus().orElseThrow());
    }

    @Test
    void retriesConnectionErrorsAndReportsTheLastError() throws IOException {
        URI nobodyListening;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListening = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/hooks");
        }

        WebhookDelivery d = sender(nobodyListening).send(ALERT, DELIVERY_ID).getFirst();

        assertFalse(d.delivered());
        assertEquals(4, d.attempts());
        assertTrue(d.lastStatus().isEmpty(), "no response at all");
        assertTrue(d.lastError().orElseThrow().contains("Connect"), d.toString());
        assertEquals(3, waits.size());
    }

    @Test
    void retriesAnAttemptThatTimesOut() {
        receiver.script("/hooks/slow", new Answer(200, null, Duration.ofSeconds(2)));

        WebhookDelivery d = sender(FAST, Duration.ofMillis(300), SECRET, receiver.url("/hooks/slow"))
                .send(ALERT, DELIVERY_ID).getFirst();

        assertTrue(d.delivered(), d.toString());
        assertEquals(2, d.attempts(), "the first attempt timed out after 300 ms");
    }

    @Test
    void reportsOneResultPerUrlInOrder() {
        receiver.script("/b", 400);
        URI a = receiver.url("/a");
        URI b = receiver.url("/b");

        List<WebhookDelivery> results = sender(a, b).send(ALERT, DELIVERY_ID);

        assertEquals(List.of(a, b), results.stream().map(WebhookDelivery::url).toList());
        assertEquals(List.of(true, false), results.stream().map(WebhookDelivery::delivered).toList());
        assertFalse(results.get(1).toString().contains("/b"), "the path may hold a token: " + results.get(1));
        assertEquals(ALERT, new String(receiver.received().getFirst().body().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
    }

    private static void assertBetween(Duration actual, Duration low, Duration high, String message) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
                message + " (tolerance: within [" + low + ", " + high + "]), was " + actual);
    }
}
