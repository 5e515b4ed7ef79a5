package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.constructs.Construct;

/**
 * ApiFunction: the HTTP API's one function (payload 2.0). It decides scans with the same core as ingest, so it holds
 * ingest's table rights (not its IoT ones: it answers over HTTP), plus event set-up, imports and the log.
 */
public final class ApiFunction extends Construct {

    private final JavaFunction function;

    public ApiFunction(Construct scope, String id, Path jar, String handler, StageSettings settings, Tables tables,
                       Streams streams) {
        super(scope, id);
        // API Gateway gives up on an integration after 30 s. Not lower: a synchronous import of up to 6 MB is the one
        // long request, and its time on Lambda has not been measured; the reservation (not the timeout) is what keeps
        // slow requests from taking the account's concurrency, and imports have a route throttle of their own.
        function = new JavaFunction(this, "ApiFunction", jar, handler, settings.memoryMb().api(), Duration.seconds(29),
                Environment.shared(tables, streams), settings.production());
        function.reserveConcurrency(settings.concurrency().api());
        function.allow(List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem", "dynamodb:Query"), List.of(tables.reference().getTableArn()));
        // UpdateItem on scans: an accepted scan the stream would not take yet is set aside for PublishRetry
        function.allow(List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem"), List.of(tables.scans().getTableArn()));
        function.allow(List.of("dynamodb:Query"), tables.scansIndexArns());
        function.allow(List.of("dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                List.of(tables.dedupWindows().getTableArn()));
        function.allow(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"),
                List.of(tables.statistics().getTableArn()));
        function.allow(List.of("kinesis:PutRecords"), List.of(streams.attendanceRecorded().getStreamArn()));
        // a dashboard's connect ticket: written once here, taken by the WebSocket API's $connect
        function.allow(List.of("dynamodb:PutItem"), List.of(tables.dashboardTickets().getTableArn()));
        // the ticket rate per token subject and per event: conditional counters in the same table
        function.allow(List.of("dynamodb:UpdateItem"), List.of(tables.dashboardTickets().getTableArn()));
    }

    public JavaFunction function() {
        return function;
    }
}
