package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.constructs.Construct;

/**
 * StatsFunction: counts accepted scans from {@code attendance-recorded} into the statistics table, raises alerts
 * and publishes {@code statistics-updates}. Its mapping is exactly what the proof in docs/STATISTICS.md ("Exactly
 * once") assumes: one batch at a time per shard, retried forever and bisected, never given up (a record given up would
 * be counted by some aggregates and not others). A batch that can never succeed therefore stops its shard: the
 * stuck-mapping alarm says so.
 */
public final class StatsFunction extends Construct {

    private final JavaFunction function;
    private final EventSourceMapping mapping;

    public StatsFunction(Construct scope, String id, Path jar, String handler, StageSettings settings, Tables tables,
                         Streams streams) {
        super(scope, id);
        Map<String, String> env = Environment.shared(tables, streams);
        function = new JavaFunction(this, "StatsFunction", jar, handler, settings.memoryMb().stats(),
                Duration.seconds(60), env, settings.production());
        function.reserveConcurrency(settings.concurrency().stats());
        grantStatistics(function, tables, streams);
        // counting reads the events and participants' claims in batches, and keeps scans of an event that no longer
        // exists aside, uncounted, in one batch write (StatisticsStore.recordUncounted)
        function.allow(List.of("dynamodb:BatchGetItem"), List.of(tables.reference().getTableArn()));
        function.allow(List.of("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"),
                List.of(tables.statistics().getTableArn()));
        mapping = StreamTrigger.on(this, "AttendanceRecorded", function, streams.attendanceRecorded(),
                EventSourceMappingOptions.builder()
                        .batchSize(1000)
                        // a second of batching turns a rush into fewer, fuller batches: one aggregate write each
                        .maxBatchingWindow(Duration.seconds(1))
                        .parallelizationFactor(1)
                        .bisectBatchOnError(true));
        StreamTrigger.retryForever(mapping);
    }

    /**
     * What keeping statistics takes, for this function and the statistics clock (issue 9), which does the same
     * publication on a timer; only counting reads and writes in batches (GrantsTest compares with the calls made).
     */
    static void grantStatistics(JavaFunction function, Tables tables, Streams streams) {
        function.allow(List.of("dynamodb:Query"), List.of(tables.reference().getTableArn()));
        function.allow(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"),
                List.of(tables.statistics().getTableArn()));
        function.allow(List.of("kinesis:PutRecord"), List.of(streams.statisticsUpdates().getStreamArn()));
    }

    public JavaFunction function() {
        return function;
    }

    public EventSourceMapping mapping() {
        return mapping;
    }
}
