package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.constructs.Construct;

/**
 * PublishRetry (issue 8): every minute, puts on `attendance-recorded` the accepted scans the HTTP API answered 201
 * but could not publish then (the sparse index byUnpublished). A run that still finds the stream refusing fails, and
 * its errors alarm says the statistics are behind.
 */
public final class PublishRetry extends Construct {

    private final JavaFunction function;

    public PublishRetry(Construct scope, String id, Path jar, String handler, StageSettings settings, Tables tables,
                        Streams streams) {
        super(scope, id);
        function = new JavaFunction(this, "PublishRetryFunction", jar, handler, settings.memoryMb().scheduled(),
                Duration.seconds(50), Environment.shared(tables, streams), settings.production());
        function.allow(List.of("dynamodb:Query"), List.of(tables.unpublishedIndexArn()));
        function.allow(List.of("dynamodb:UpdateItem"), List.of(tables.scans().getTableArn()));
        function.allow(List.of("kinesis:PutRecords"), List.of(streams.attendanceRecorded().getStreamArn()));
        function.runEveryMinute();
    }

    public JavaFunction function() {
        return function;
    }
}
