package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.FilterCriteria;
import software.amazon.awscdk.services.lambda.FilterRule;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * AlertDeliveryFunction (issue 9): the alerts the statistics raised, from {@code statistics-updates} to the alerts bus
 * (and webhooks, when the function is given their URLs), apart from counting so that an integration never holds up a
 * count. The mapping passes only {@code alert.raised} records. The function records every alert a target did not take
 * (DELIVERY# items) and fails a batch only when it could not record that; such a batch is retried, then its range
 * lands in the on-failure queue, so no alert is lost without a message saying so.
 */
public final class AlertDelivery extends Construct {

    private final JavaFunction function;
    private final Queue onFailure;
    private final EventSourceMapping mapping;

    public AlertDelivery(Construct scope, String id, Path jar, String handler, StageSettings settings, Tables tables,
                         Streams streams, EventBus alerts) {
        super(scope, id);
        Map<String, String> env = Environment.shared(tables, streams, "ALERTS_EVENT_BUS", alerts.getEventBusName());
        // the background size: a few alerts a batch, each a PutEvents or an HTTP call (I/O, nobody waits on it), and
        // webhooks may take 5 s a try
        function = new JavaFunction(this, "AlertDeliveryFunction", jar, handler, settings.memoryMb().scheduled(),
                Duration.seconds(120), env, settings.production());
        function.allow(List.of("events:PutEvents"), List.of(alerts.getEventBusArn()));
        webhooks(settings);
        function.allow(List.of("dynamodb:PutItem"), List.of(tables.statistics().getTableArn()),
                Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("DELIVERY#*"))));
        onFailure = Environment.failureQueue(this, "OnFailure",
                "it receives the ranges of alerts whose failed delivery could not even be recorded", settings.production());
        mapping = StreamTrigger.on(this, "AlertsRaised", function, streams.statisticsUpdates(),
                EventSourceMappingOptions.builder()
                        .batchSize(100)
                        // the functions' MessageTypes.ALERT_RAISED, spelt out because this module must not load the
                        // functions' classes; FunctionsTemplateTest checks that the two agree
                        .filters(List.of(FilterCriteria.filter(Map.of("data",
                                Map.of("type", FilterRule.isEqual("alert.raised"))))))
                        .bisectBatchOnError(true)
                        .retryAttempts(10)
                        .maxRecordAge(Duration.hours(6))
                        .onFailure(new SqsDlq(onFailure)));
    }

    /**
     * A secret per receiver, generated in Secrets Manager; the function gets each one's ARN (never a value) and may
     * read exactly those secrets. It reads one at that receiver's first delivery, so no SnapStart snapshot holds it.
     */
    private void webhooks(StageSettings settings) {
        if (settings.webhooks().isEmpty()) return;
        List<Object> targets = new java.util.ArrayList<>();
        List<String> arns = new java.util.ArrayList<>();
        for (StageSettings.Webhook w : settings.webhooks()) {
            // no fixed name and not kept: a deleted secret's name stays reserved for its recovery window, so a stack made
            // again would collide with it; a new stack makes new secrets, given to the receivers again
            Secret secret = Secret.Builder.create(this, "Webhook-" + w.name())
                    .description("Headcount " + settings.stage() + ": signs the alerts sent to the webhook receiver "
                            + w.name() + "; give it to that receiver only")
                    .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            CfnOutput.Builder.create(this, "WebhookSecret-" + w.name()).value(secret.getSecretArn())
                    .description("the secret of the webhook receiver " + w.name()).build();
            Nag.accept(secret, "AwsSolutions-SMG4", "A webhook signing secret is shared with one outside receiver, who "
                    + "must install each new value: it is rotated by hand with that receiver (docs/WEBHOOKS.md).");
            arns.add(secret.getSecretArn());
            targets.add(Map.of("name", w.name(), "url", w.url(), "events", w.events(), "secretId", secret.getSecretArn()));
        }
        function.allow(List.of("secretsmanager:GetSecretValue"), arns);
        function.function().addEnvironment("HEADCOUNT_WEBHOOK_TARGETS", Stack.of(this).toJsonString(targets));
    }

    public JavaFunction function() {
        return function;
    }

    public Queue onFailure() {
        return onFailure;
    }

    public EventSourceMapping mapping() {
        return mapping;
    }
}
