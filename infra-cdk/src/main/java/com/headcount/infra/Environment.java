package com.headcount.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/** What the functions are told (the variables {@code HeadcountSettings} reads) and where their failures are kept. */
final class Environment {

    private Environment() {}

    static Map<String, String> shared(Tables tables, Streams streams) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REFERENCE_TABLE", tables.reference().getTableName());
        env.put("SCANS_TABLE", tables.scans().getTableName());
        env.put("WINDOWS_TABLE", tables.dedupWindows().getTableName());
        env.put("STATISTICS_TABLE", tables.statistics().getTableName());
        env.put("ATTENDANCE_RECORDED_STREAM", streams.attendanceRecorded().getStreamName());
        env.put("STATISTICS_UPDATES_STREAM", streams.statisticsUpdates().getStreamName());
        env.put("CONNECTIONS_TABLE", tables.connections().getTableName());
        env.put("DASHBOARD_TICKETS_TABLE", tables.dashboardTickets().getTableName());
        return env;
    }

    /** The shared variables plus a function's own, given as name, value, name, value… */
    static Map<String, String> shared(Tables tables, Streams streams, String... own) {
        Map<String, String> env = shared(tables, streams);
        for (int i = 0; i < own.length; i += 2) env.put(own[i], own[i + 1]);
        return env;
    }

    /**
     * Where a pipeline parks what it gave up on: kept 14 days (SQS's longest), encrypted, TLS only. cdk-nag's
     * "no dead-letter queue" does not apply to a queue that is one; an alarm watches each. A production stage keeps it
     * on {@code cdk destroy}, as it keeps its streams and tables: its messages may be the only record of what was not
     * decided or delivered (the topic rules' queues hold the scans themselves).
     */
    static Queue failureQueue(Construct scope, String id, String whatLandsHere, boolean production) {
        Queue queue = Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        Nag.accept(queue, "AwsSolutions-SQS3", "This queue is a dead-letter destination itself: " + whatLandsHere
                + "; its alarm fires on the first message.");
        return queue;
    }
}
