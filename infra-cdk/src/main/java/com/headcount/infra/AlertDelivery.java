package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
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
