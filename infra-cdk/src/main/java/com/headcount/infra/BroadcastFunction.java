package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.constructs.Construct;

/**
 * BroadcastFunction (issue 10): sends each {@code statistics-updates} record to the dashboards watching its event,
 * posting to up to 64 connections at once, each post bounded by 2 s (the function's settings).
 * A dashboard can always re-read over HTTP, so a batch that fails is retried a few times and then dropped (its range
 * goes nowhere: there is nothing to replay later that the next update does not supersede).
 */
public final class BroadcastFunction extends Construct {

    private final JavaFunction function;
    private final EventSourceMapping mapping;

    public BroadcastFunction(Construct scope, String id, Path jar, String handler, StageSettings settings, Tables tables,
                             Streams streams, WebSocketApiGateway webSockets) {
        super(scope, id);
        Map<String, String> env = Environment.shared(tables, streams, "WEBSOCKET_CALLBACK_URL", webSockets.callbackUrl());
        function = new JavaFunction(this, "BroadcastFunction", jar, handler, settings.memoryMb().broadcast(), Duration.seconds(30), env,
                settings.production());
        // an event's connections from the index; a gone one (410) deleted by its key
        function.allow(List.of("dynamodb:Query"), List.of(tables.connectionsByEventArn()));
        function.allow(List.of("dynamodb:DeleteItem"), List.of(tables.connections().getTableArn()));
        // a connection it removes (gone, or its authorisation ended) gives its places back to the counters
        function.allow(List.of("dynamodb:UpdateItem"), List.of(tables.dashboardTickets().getTableArn()));
        webSockets.allowPosting(function);
        mapping = StreamTrigger.on(this, "StatisticsUpdates", function, streams.statisticsUpdates(),
                EventSourceMappingOptions.builder()
                        .batchSize(100)
                        .bisectBatchOnError(true)
                        .retryAttempts(3)
                        .maxRecordAge(Duration.minutes(5)));
    }

    public JavaFunction function() {
        return function;
    }

    public EventSourceMapping mapping() {
        return mapping;
    }
}
