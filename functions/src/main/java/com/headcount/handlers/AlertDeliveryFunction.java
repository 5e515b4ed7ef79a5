package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.dynamodb.DynamoDeliveryFailures;
import com.headcount.adapters.eventbridge.EventBridgeAlerts;
import com.headcount.adapters.webhook.SecretsManagerSecrets;
import com.headcount.adapters.webhook.WebhookAlerts;
import com.headcount.adapters.webhook.WebhookConfig;
import com.headcount.adapters.webhook.WebhookSender;
import com.headcount.adapters.webhook.WebhookTarget;
import com.headcount.core.alerts.Alert;
import com.headcount.core.delivery.AlertDelivery;
import com.headcount.core.delivery.AlertTarget;
import com.headcount.core.messages.MessageTypes;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * AlertDeliveryFunction: `statistics-updates` → EventBridge and webhooks. Reads the `alert.raised` records (the
 * mapping's filter should pass only those; anything else is skipped here too) and hands them to
 * {@link AlertDelivery}: targets side by side, each behind its circuit, failures recorded. Counting never waits for
 * this function; this function never fails a batch for an integration's sake, only when a failure could not be
 * recorded (then the batch is delivered again under the same delivery ids).
 */
public final class AlertDeliveryFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final AlertDelivery delivery;

    public AlertDeliveryFunction() {
        this.delivery = fromEnvironment();
    }

    public AlertDeliveryFunction(AlertDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<Alert> alerts = new ArrayList<>();
        int skipped = 0;
        for (var record : event.getRecords() == null ? List.<KinesisEvent.KinesisEventRecord>of() : event.getRecords()) {
            Alert alert = alertIn(KinesisRecords.bytes(record.getKinesis().getData()));
            if (alert == null) skipped++;
            else alerts.add(alert);
        }
        var results = delivery.deliver(alerts);
        StringBuilder targets = new StringBuilder();
        for (var r : results) {
            if (!targets.isEmpty()) targets.append(',');
            targets.append(String.format("{\"target\":\"%s\",\"delivered\":%d,\"failed\":%d,\"circuitOpen\":%d}",
                    r.target(), r.delivered(), r.failed(), r.skippedOpen()));
        }
        context.getLogger().log(String.format("{\"msg\":\"alert delivery\",\"alerts\":%d,\"skipped\":%d,\"targets\":[%s]}",
                alerts.size(), skipped, targets));
        return new StreamsEventResponse(List.of());
    }

    /** The alert of an `alert.raised` record; null for anything else (a `stats.updated`, an unreadable record). */
    @SuppressWarnings("unchecked")
    static Alert alertIn(byte[] data) {
        try {
            Map<String, Object> m = JSON.std.mapFrom(data);
            if (!MessageTypes.ALERT_RAISED.equals(m.get("type"))) return null;
            return Alert.fromMap((Map<String, Object>) m.get("alert"));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Lambda's wiring: built once per instance, so the circuits live as long as the instance. */
    static AlertDelivery fromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        DeliverySettings settings = DeliverySettings.fromEnvironment();
        var eventBridge = settings.eventBusName() == null ? null : clients.eventBridge(settings.eventBridgeEndpoint());
        return wiring(clients.dynamoDb(), settings, eventBridge, Clock.systemUTC());
    }

    /**
     * The targets the settings name: the bus (when set and a client is given) and every webhook target of
     * HEADCOUNT_WEBHOOK_TARGETS, each signed with its own secret and sent only its events' alerts.
     */
    public static AlertDelivery wiring(DynamoDbClient dynamo, DeliverySettings settings, EventBridgeClient eventBridge,
                                       Clock clock) {
        List<AlertTarget> targets = new ArrayList<>();
        if (settings.eventBusName() != null && eventBridge != null) {
            targets.add(new EventBridgeAlerts(eventBridge, settings.eventBusName()));
        }
        targets.addAll(webhooks(System.getenv(), AwsClients.fromEnvironment()::secretsManager));

        return new AlertDelivery(targets, new DynamoDeliveryFailures(dynamo, settings.shared().statisticsTable()),
                settings.circuit(), clock);
    }

    /**
     * {@value WebhookTarget#VARIABLE}; or, outside Lambda only (the local stack, tests), the older
     * {@value WebhookConfig#URLS_VARIABLE} with one shared secret. Secrets Manager is asked only at a target's first
     * delivery: the client is made then too, after any SnapStart restore.
     */
    static List<AlertTarget> webhooks(Map<String, String> env,
                                      java.util.function.Supplier<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> secretsManager) {
        String json = env.get(WebhookTarget.VARIABLE);
        if (json != null && !json.isBlank()) {
            var targets = WebhookTarget.parse(json,
                    id -> new SecretsManagerSecrets(secretsManager.get()).apply(id), env);
            return WebhookAlerts.of(WebhookSender.create(WebhookConfig.forTargets()), targets);
        }
        String urls = env.get(WebhookConfig.URLS_VARIABLE);
        if (urls == null || urls.isBlank()) return List.of();
        if (env.get("AWS_LAMBDA_FUNCTION_NAME") != null) {
            throw new IllegalStateException(WebhookConfig.URLS_VARIABLE + " (one secret in the environment for every "
                    + "receiver) is for the local stack only; in AWS use " + WebhookTarget.VARIABLE);
        }
        WebhookConfig config = WebhookConfig.fromEnvironment(env);
        return WebhookAlerts.all(WebhookSender.create(config), config);
    }
}
