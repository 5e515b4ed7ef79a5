package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * IngestFunction: decides each scan of the {@code scans} stream, stores every outcome, publishes accepted scans to
 * {@code attendance-recorded} and tells the gate. A batch that keeps failing is bisected down to the failing scan;
 * a range given up lands in the on-failure queue, to be replayed by the runbook in the README.
 */
public final class IngestFunction extends Construct {

    private final JavaFunction function;
    private final Queue onFailure;
    private final EventSourceMapping mapping;

    public IngestFunction(Construct scope, String id, Path jar, String handler, StageNames names, StageSettings settings,
                          Tables tables, Streams streams, IotCore iot, String iotDataEndpoint) {
        super(scope, id);
        Map<String, String> env = Environment.shared(tables, streams, "IOT_DATA_ENDPOINT", "https://" + iotDataEndpoint,
                "METRICS_NAMESPACE", Monitoring.namespace(names), "HEADCOUNT_STAGE", names.stage());
        function = new JavaFunction(this, "IngestFunction", jar, handler, settings.memoryMb().ingest(),
                Duration.seconds(60), env, settings.production());
        function.reserveConcurrency(settings.concurrency().ingest());
        function.allow(List.of("dynamodb:BatchGetItem"), List.of(tables.reference().getTableArn()));
        function.allow(List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                List.of(tables.dedupWindows().getTableArn()));
        function.allow(List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem"),
                List.of(tables.scans().getTableArn()));
        function.allow(List.of("kinesis:PutRecords"), List.of(streams.attendanceRecorded().getStreamArn()));
        function.allow(List.of("iot:Publish"), List.of(iot.decisionsTopics()));

        onFailure = Environment.failureQueue(this, "OnFailure", "it receives the stream ranges ingest gave up on",
                settings.production());
        Nag.accept(function, "AwsSolutions-IAM5", "Ingest tells each scan's gate its decision, for any event and gate "
                + "found on the stream: the resource is every gate's decisions topic of this stage and no other topic.",
                "Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/"
                        + names.gateTopic("*", "*", "decisions"));
        var options = EventSourceMappingOptions.builder()
                .batchSize(settings.ingestBatchSize())
                .maxBatchingWindow(Duration.seconds(settings.ingestBatchWindow().toSeconds()))
                .reportBatchItemFailures(true)
                .bisectBatchOnError(true)
                .retryAttempts(settings.ingestRetryAttempts())
                .maxRecordAge(Duration.seconds(settings.ingestMaxRecordAge().toSeconds()))
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(onFailure));
        mapping = settings.ingestEnhancedFanOut()
                ? StreamTrigger.throughConsumer(this, "Scans", function, streams.scans(), names.prefix() + "-ingest", options)
                : StreamTrigger.on(this, "Scans", function, streams.scans(), options);
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
