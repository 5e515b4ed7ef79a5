package com.headcount.local.stats;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.headcount.adapters.dynamodb.DynamoDeliveryFailures;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.eventbridge.EventBridgeAlerts;
import com.headcount.adapters.webhook.WebhookAlerts;
import com.headcount.adapters.webhook.WebhookConfig;
import com.headcount.adapters.webhook.WebhookSecret;
import com.headcount.adapters.webhook.WebhookSender;
import com.headcount.core.delivery.AlertDelivery;
import com.headcount.core.delivery.Circuit;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.time.RetryPolicy;
import com.headcount.handlers.AlertDeliveryFunction;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.lambda.LocalContext;
import com.headcount.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Alert episodes through the real stats function on dynalite, with the clock moved by the test: an overload raises
 * one alert however long it lasts, a second overload after recovery raises a second; low attendance is raised only
 * past half time. The alerts go on `statistics-updates`; the real alert delivery function, reading that stream as
 * its mapping would, hands them to a real signed-webhook receiver and an EventBridge endpoint (the SDK client against
 * a loopback stand-in). A redelivered batch raises nothing again.
 */
@ExtendWith(Emulators.Extension.class)
class StatsAlertsTest {

    static final String SECRET = "test-only-signing-secret";

    @Test
    void oneAlertPerEpisodeReArmedOnRecoveryAndLowAttendanceOnlyPastHalfTime(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            Instant start = Instant.parse("2026-06-01T08:00:00Z");
            var event = new AttendanceEvent(h.eventId, "Alerts", start, start.plus(Duration.ofHours(4)),
                    ZoneId.of("Europe/Berlin"), Duration.ofMinutes(2), 0.8, 0.3);
            List<Participant> participants = new ArrayList<>();
            for (int i = 0; i < 100; i++) participants.add(new Participant(h.eventId, "p-" + i, "active"));
            h.save(event, List.of(new Gate(h.eventId, "north", "North", true, 2), new Gate(h.eventId, "south", "South", true, 50)),
                    participants);
            StatsSettings s = h.statsSettings("");
            var clock = new MutableClock(start.plus(Duration.ofMinutes(30)));
            StatsFunction function = h.statsFunction(s, clock, clock.sleeper());

            // capacity 2/min: more than 8 scans in 5 minutes is over 0.8
            run(function, h, scans(h, "north", 0, 10, clock.instant()));
            assertEquals(List.of("gate_overload#north:1"), alertKeys(h, s, clock), "first overload");
            clock.advance(Duration.ofMinutes(1));
            run(function, h, scans(h, "north", 10, 3, clock.instant()));
            assertEquals(1, alertKeys(h, s, clock).size(), "still the same episode");

            clock.advance(Duration.ofMinutes(10));
            run(function, h, scans(h, "south", 13, 1, clock.instant())); // north quiet: recovered, re-armed
            assertEquals(1, alertKeys(h, s, clock).size());

            clock.advance(Duration.ofMinutes(2));
            KinesisEvent second = scans(h, "north", 14, 10, clock.instant());
            run(function, h, second);
            assertEquals(List.of("gate_overload#north:2", "gate_overload#north:1"), alertKeys(h, s, clock),
                    "a second episode, newest first");
            run(function, h, second); // Lambda redelivering the batch
            assertEquals(2, alertKeys(h, s, clock).size(), "a redelivered batch raises nothing");

            // 25 of 100 attended (25 %), yet at half time exactly nothing is raised
            clock.set(start.plus(Duration.ofHours(2)));
            run(function, h, scans(h, "south", 24, 1, clock.instant()));
            assertEquals(25L, ((Map<?, ?>) snapshot(h, s, clock).get("overall")).get("attended"));
            assertEquals(2, alertKeys(h, s, clock).size(), "no low_attendance until past half time");
            clock.advance(Duration.ofMillis(500));
            run(function, h, scans(h, "south", 25, 1, clock.instant()));
            assertEquals("low_attendance:1", alertKeys(h, s, clock).get(0), "raised past half time");
            clock.advance(Duration.ofMinutes(5));
            run(function, h, scans(h, "south", 26, 1, clock.instant()));
            assertEquals(3, alertKeys(h, s, clock).size(), "once per episode");

            List<String> expectedIds = List.of(h.eventId + ":gate_overload#north:1", h.eventId + ":gate_overload#north:2",
                    h.eventId + ":low_attendance:1");
            List<String> streamed = h.read(s.statisticsUpdatesStream()).stream()
                    .map(r -> StatsHarness.map(r.data().asByteArray()))
                    .filter(m -> MessageTypes.ALERT_RAISED.equals(m.get("type")))
                    .map(m -> (String) ((Map<?, ?>) m.get("alert")).get("id")).toList();
            assertEquals(expectedIds, streamed, "on statistics-updates for dashboards and integrations");
            // 8 batches, 8 publications: each batch publishes what it read after its write, the redelivered one too
            // (a retry publishes again: that is what makes a publication lost after the write impossible)
            assertEquals(8, h.read(s.statisticsUpdatesStream()).stream()
                    .filter(r -> MessageTypes.STATS_UPDATED.equals(StatsHarness.map(r.data().asByteArray()).get("type")))
                    .count(),
                    "one stats.updated per batch, the last change of a burst included");

            try (var receiver = new LoopbackReceiver(SECRET)) {
                var webhook = new WebhookAlerts(WebhookSender.create(new WebhookConfig(List.of(receiver.uri("/hook")),
                        WebhookSecret.of(SECRET), RetryPolicy.DEFAULT, Duration.ofSeconds(5))), receiver.uri("/hook"), 0);
                var eventBridge = new EventBridgeAlerts(eventBridge(receiver), "headcount-alerts");
                var delivery = new AlertDeliveryFunction(new AlertDelivery(List.of(eventBridge, webhook),
                        new DynamoDeliveryFailures(deliveryDynamo(h, s), s.statisticsTable()), Circuit.Settings.DEFAULT,
                        Clock.systemUTC()));
                try (var mapping = h.mapping(s.statisticsUpdatesStream(), delivery, 100, -1)) {
                    mapping.start();
                    mapping.awaitCaughtUp(Duration.ofMinutes(1));
                    assertEquals(0, mapping.counters().functionErrors());
                }
                assertEquals(expectedIds, receiver.hooks.stream().map(hook -> (String) StatsHarness.map(
                        hook.body().getBytes()).get("id")).toList(), "webhooks, one per alert, in order");
                assertTrue(receiver.hooks.stream().allMatch(hook -> hook.verification().isValid()), "every body signed");
                assertEquals(expectedIds.stream().map(StatsAlertsTest::deliveryId).toList(),
                        receiver.hooks.stream().map(LoopbackReceiver.Hook::deliveryId).toList(), "stable delivery ids");
                assertEquals(3, receiver.putEvents.size(), "one PutEvents per alert");
                assertTrue(receiver.putEvents.get(0).contains("\"DetailType\":\"gate_overload\"")
                        && receiver.putEvents.get(0).contains("\"Source\":\"headcount.statistics\""), receiver.putEvents.get(0));
            }
        }
    }

    /** The delivery id a receiver sees: derived from the alert id alone, so every redelivery carries the same. */
    static String deliveryId(String alertId) {
        return UUID.nameUUIDFromBytes(("headcount-alert:" + alertId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The delivery function's EventBridge client, aimed at the receiver; its calls recorded for the grants test. */
    static EventBridgeClient eventBridge(LoopbackReceiver receiver) {
        return EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.credentials()).endpointOverride(receiver.uri("/"))
                .overrideConfiguration(o -> o.addExecutionInterceptor(AwsCalls.of("AlertDeliveryFunction",
                        Map.of("headcount-alerts", "ALERTS_EVENT_BUS"))))
                .build();
    }

    /** The delivery function's DynamoDB client: its calls recorded for the grants test. */
    static software.amazon.awssdk.services.dynamodb.DynamoDbClient deliveryDynamo(StatsHarness h, StatsSettings s) {
        return h.clients(StatsHarness.recorded("AlertDeliveryFunction", AwsCalls.variables(s))).dynamoDb();
    }

    static void run(StatsFunction function, StatsHarness h, KinesisEvent batch) {
        var response = function.handleRequest(batch, new LocalContext("StatsFunction", Duration.ofMinutes(1)));
        assertTrue(response.getBatchItemFailures().isEmpty());
    }

    private static Map<String, Object> snapshot(StatsHarness h, StatsSettings s, MutableClock clock) {
        return new DynamoStatisticsView(h.dynamo, s.statisticsTable(), s.shared().referenceTable(), clock)
                .snapshot(h.eventId).orElseThrow();
    }

    private static List<String> alertKeys(StatsHarness h, StatsSettings s, MutableClock clock) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> alerts = (List<Map<String, Object>>) snapshot(h, s, clock).get("alerts");
        return alerts.stream().map(a -> ((String) a.get("id")).substring(h.eventId.length() + 1)).toList();
    }

    KinesisEvent scans(StatsHarness h, String gateId, int from, int count, Instant at) {
        return h.recorded(gateId, from, count, at);
    }
}
