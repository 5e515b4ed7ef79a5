package com.headcount.adapters.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.alerts.Alert;
import com.headcount.core.delivery.AlertDelivery;
import com.headcount.core.delivery.Circuit;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 19 point 5: a secret per target, read at first use; subscriptions per event; https only. */
class WebhookTargetsTest {

    @Test
    void plainHttpIsRefusedAtConfigurationExceptToLoopback() {
        assertThrows(IllegalArgumentException.class, () -> WebhookConfig.requireHttps(URI.create("http://hooks.example/x")));
        assertThrows(IllegalArgumentException.class, () -> new WebhookConfig(List.of(URI.create("http://10.0.0.8/x")),
                WebhookSecret.of("s"), com.headcount.core.time.RetryPolicy.DEFAULT, WebhookConfig.DEFAULT_ATTEMPT_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> WebhookTarget.parse(
                "[{\"name\":\"ops\",\"url\":\"http://hooks.example/x\",\"events\":[\"A\"],\"secretEnv\":\"S\"}]", id -> "x", Map.of()));
        WebhookConfig.requireHttps(URI.create("https://hooks.example/x"));
        WebhookConfig.requireHttps(URI.create("http://127.0.0.1:8999/x"));
        WebhookConfig.requireHttps(URI.create("http://localhost:8999/x"));
    }

    @Test
    void theSecretIsReadAtTheFirstDeliveryNotWhenTheConfigurationIsRead() throws Exception {
        try (Receiver ops = new Receiver("whsec_ops")) {
            AtomicInteger reads = new AtomicInteger();
            List<WebhookTarget> targets = WebhookTarget.parse("[{\"name\":\"ops\",\"url\":\"" + ops.url("/hook")
                    + "\",\"events\":[\"A\"],\"secretId\":\"arn:aws:secretsmanager:eu-west-1:1:secret:ops\"}]", id -> {
                        reads.incrementAndGet();
                        assertEquals("arn:aws:secretsmanager:eu-west-1:1:secret:ops", id);
                        return "whsec_ops";
                    }, Map.of());
            assertEquals(0, reads.get(), "nothing read at start-up: a SnapStart snapshot holds no secret");
            var delivery = delivery(targets);
            delivery.deliver(List.of(alert("A", "a1"), alert("A", "a2")));
            assertEquals(1, reads.get(), "read once, then kept");
            assertEquals(2, ops.received().size());
            assertFalse(targets.toString().contains("whsec"));
        }
    }

    @Test
    void eachTargetGetsOnlyItsEventsSignedWithItsOwnSecret() throws Exception {
        try (Receiver ops = new Receiver("whsec_ops"); Receiver sponsor = new Receiver("whsec_sponsor")) {
            List<WebhookTarget> targets = WebhookTarget.parse("[{\"name\":\"ops\",\"url\":\"" + ops.url("/hook")
                    + "\",\"events\":[\"A\",\"B\"],\"secretEnv\":\"OPS\"},{\"name\":\"sponsor\",\"url\":\""
                    + sponsor.url("/hook") + "\",\"events\":[\"B\"],\"secretEnv\":\"SPONSOR\"}]", id -> {
                        throw new AssertionError("no secretId here");
                    }, Map.of("OPS", "whsec_ops", "SPONSOR", "whsec_sponsor"));
            var results = delivery(targets).deliver(List.of(alert("A", "a1"), alert("B", "b1"), alert("C", "c1")));
            assertEquals(List.of("a1", "b1"), ids(ops));
            assertEquals(List.of("b1"), ids(sponsor), "the sponsor subscribed to B only");
            for (Receiver r : List.of(ops, sponsor)) {
                for (var got : r.received()) assertEquals(WebhookSignature.Verification.VALID, got.verification());
            }
            assertEquals(0, results.stream().mapToInt(AlertDelivery.TargetResult::failed).sum());
        }
    }

    @Test
    void inLambdaTheSharedSecretInTheEnvironmentIsRefused() {
        var env = Map.of(WebhookConfig.URLS_VARIABLE, "https://hooks.example/x", WebhookConfig.SECRET_VARIABLE, "s",
                "AWS_LAMBDA_FUNCTION_NAME", "AlertDelivery");
        var refused = assertThrows(IllegalStateException.class,
                () -> com.headcount.handlers.AlertDeliveryFunctionAccess.webhooks(env));
        assertTrue(refused.getMessage().contains(WebhookTarget.VARIABLE));
    }

    private static AlertDelivery delivery(List<WebhookTarget> targets) {
        List<com.headcount.core.delivery.AlertTarget> all = new ArrayList<>(
                WebhookAlerts.of(WebhookSender.create(WebhookConfig.forTargets()), targets));
        return new AlertDelivery(all, failure -> {}, Circuit.Settings.DEFAULT, Clock.systemUTC());
    }

    private static List<String> ids(Receiver r) {
        return r.received().stream().map(x -> x.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")).sorted().toList();
    }

    private static Alert alert(String eventId, String id) {
        return new Alert(id, Alert.GATE_OVERLOAD, eventId, "north", 1, Instant.parse("2026-11-26T09:00:00Z"), 0.9, 0.8,
                "north is at 90 %");
    }
}
