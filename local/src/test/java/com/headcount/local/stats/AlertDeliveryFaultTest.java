package com.headcount.local.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.dynamodb.DynamoDeliveryFailures;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.eventbridge.EventBridgeAlerts;
import com.headcount.adapters.webhook.WebhookAlerts;
import com.headcount.adapters.webhook.WebhookConfig;
import com.headcount.adapters.webhook.WebhookSecret;
import com.headcount.adapters.webhook.WebhookSender;
import com.headcount.core.delivery.AlertDelivery;
import com.headcount.core.delivery.Circuit;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.time.RetryPolicy;
import com.headcount.handlers.AlertDeliveryFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.local.testing.Emulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One bad integration does not stop anything: a webhook that takes requests and never answers, an EventBridge bus
 * that refuses every event (a removed permission), and a healthy webhook. The counts are current and exact (the
 * stats mapping never failed), the healthy webhook gets every alert under its stable delivery id, the two others
 * cost a few tries before their circuits open, and every alert they missed is recorded.
 */
@ExtendWith(Emulators.Extension.class)
class AlertDeliveryFaultTest {

    static final String SECRET = "test-only-signing-secret";
    static final int GATES = 6;
    static final int PER_GATE = 12;

    @Test
    void aHangingWebhookAndARefusingBusHoldUpNeitherCountsNorTheHealthyWebhook(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            Instant start = Instant.parse("2027-02-01T09:00:00Z");
            var event = new AttendanceEvent(h.eventId, "Faults", start, start.plus(Duration.ofHours(6)), ZoneId.of("UTC"),
                    Duration.ofMinutes(2), 0.8, 0.3);
            List<Gate> gates = new ArrayList<>();
            for (int g = 0; g < GATES; g++) gates.add(new Gate(h.eventId, "g" + g, "Gate " + g, true, 2));
            List<Participant> participants = new ArrayList<>();
            for (int i = 0; i < GATES * PER_GATE; i++) participants.add(new Participant(h.eventId, "p-" + i, "active"));
            h.save(event, gates, participants);
            StatsSettings s = h.statsSettings("");
            Instant at = start.plus(Duration.ofMinutes(20));

            // 12 entries a gate within a minute at 2/min: every gate overloaded, six alerts
            List<StatsHarness.Entry> entries = new ArrayList<>();
            for (int i = 0; i < GATES * PER_GATE; i++) {
                entries.add(new StatsHarness.Entry(h.eventId + "#p-" + i,
                        StatsHarness.json(h.accepted("p-" + i, "g" + (i % GATES), at, "entry"))));
            }
            String recorded = "delivery-recorded-" + h.n;
            h.createStream(recorded, 1);
            h.put(recorded, entries);

            try (var receiver = new LoopbackReceiver(SECRET)) {
                receiver.refuseEvents();
                var fastGivingUp = new WebhookConfig(List.of(receiver.uri("/hang"), receiver.uri("/hook")),
                        WebhookSecret.of(SECRET), new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(40)),
                        Duration.ofMillis(400));
                var sender = WebhookSender.create(fastGivingUp);
                var delivery = new AlertDeliveryFunction(new AlertDelivery(List.of(
                        new EventBridgeAlerts(StatsAlertsTest.eventBridge(receiver), "headcount-alerts"),
                        new WebhookAlerts(sender, receiver.uri("/hang"), 0),
                        new WebhookAlerts(sender, receiver.uri("/hook"), 1)),
                        new DynamoDeliveryFailures(StatsAlertsTest.deliveryDynamo(h, s), s.statisticsTable()),
                        new Circuit.Settings(1, Duration.ofMinutes(1), Duration.ofMinutes(15)), Clock.systemUTC()));
                var clock = Clock.fixed(at.plusSeconds(5), java.time.ZoneOffset.UTC);
                try (var stats = h.mapping(recorded, h.statsFunction(s, clock, StatsHarness.NO_WAIT), 100, -1);
                     var deliveries = h.mapping(s.statisticsUpdatesStream(), delivery, 10, -1)) {
                    deliveries.start();
                    stats.start();
                    stats.awaitCaughtUp(Duration.ofMinutes(1));
                    assertEquals(0, stats.counters().functionErrors(), "counting never failed");
                    var overall = (Map<?, ?>) new DynamoStatisticsView(h.dynamo, s.statisticsTable(),
                            s.shared().referenceTable(), clock).snapshot(h.eventId).orElseThrow().get("overall");
                    assertEquals((long) GATES * PER_GATE, ((Number) overall.get("attended")).longValue(), "counts current");
                    assertEquals((long) GATES * PER_GATE, ((Number) overall.get("acceptedScans")).longValue());

                    deliveries.awaitCaughtUp(Duration.ofMinutes(1));
                    assertEquals(0, deliveries.counters().functionErrors(), "delivery never failed its batch either");
                }
                List<String> alertIds = new ArrayList<>();
                for (int g = 0; g < GATES; g++) alertIds.add(h.eventId + ":gate_overload#g" + g + ":1");
                List<String> served = receiver.hooks.stream()
                        .map(hook -> (String) StatsHarness.map(hook.body().getBytes()).get("id")).sorted().toList();
                assertEquals(alertIds, served, "the healthy webhook got every alert, once");
                assertEquals(alertIds.stream().map(StatsAlertsTest::deliveryId).sorted().toList(),
                        receiver.hooks.stream().map(LoopbackReceiver.Hook::deliveryId).sorted().toList(), "stable ids");
                assertEquals(2, receiver.hung.size(), "the hanging webhook: two tries of one alert, then its circuit opened");
                assertEquals(1, receiver.putEvents.size(), "the refusing bus: one refusal, then its circuit opened");

                Map<String, String> failures = failures(h, s);
                assertEquals(GATES * 2, failures.size(), "every alert the two missed is recorded: " + failures);
                long refused = failures.entrySet().stream().filter(e -> e.getKey().endsWith("#eventbridge:headcount-alerts")
                        && e.getValue().contains("AccessDeniedException")).count();
                long timedOut = failures.entrySet().stream().filter(e -> e.getKey().endsWith("#webhook:0:127.0.0.1")
                        && e.getValue().contains("HttpTimeoutException")).count();
                long open = failures.values().stream().filter(r -> r.equals("circuit_open")).count();
                assertEquals(List.of(1L, 1L, (long) GATES * 2 - 2), List.of(refused, timedOut, open), failures.toString());
            }
        }
    }

    /** The on-failure records of the event: alert id and target → reason. */
    static Map<String, String> failures(StatsHarness h, StatsSettings s) {
        Map<String, String> out = new TreeMap<>();
        var items = h.dynamo.query(b -> b.tableName(s.statisticsTable()).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(DynamoDeliveryFailures.PREFIX + h.eventId))))
                .items();
        for (var item : items) out.put(item.get("sk").s(), item.get("reason").s());
        assertTrue(items.stream().allMatch(i -> i.containsKey("alert") && i.containsKey("deliveryId")));
        return out;
    }
}
