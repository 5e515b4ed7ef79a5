package com.headcount.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.constructs.Construct;

/**
 * Kinesis: {@code scans} (the topic rule writes, ingest reads), {@code attendance-recorded} (accepted scans, for the
 * statistics) and {@code statistics-updates} (for the dashboards), encrypted at rest, on-demand or provisioned.
 */
public final class Streams extends Construct {

    private final Stream scans;
    private final Stream attendanceRecorded;
    private final Stream statisticsUpdates;

    public Streams(Construct scope, String id, StageNames names, StageSettings settings) {
        super(scope, id);
        scans = stream("Scans", names.stream("scans"), settings.scansShards(), settings.scansRetention(), settings);
        attendanceRecorded = stream("AttendanceRecorded", names.stream("attendance-recorded"),
                settings.attendanceRecordedShards(), settings.streamRetention(), settings);
        statisticsUpdates = stream("StatisticsUpdates", names.stream("statistics-updates"),
                settings.statisticsUpdatesShards(), settings.streamRetention(), settings);
    }

    private Stream stream(String id, String name, int shards, java.time.Duration retention, StageSettings settings) {
        var builder = Stream.Builder.create(this, id)
                .streamName(name)
                .encryption(StreamEncryption.MANAGED)
                .retentionPeriod(Duration.hours(retention.toHours()))
                .removalPolicy(settings.production() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        if (settings.onDemandStreams()) {
            builder.streamMode(StreamMode.ON_DEMAND);
        } else {
            builder.streamMode(StreamMode.PROVISIONED).shardCount(shards);
        }
        return builder.build();
    }

    public Stream scans() {
        return scans;
    }

    public Stream attendanceRecorded() {
        return attendanceRecorded;
    }

    public Stream statisticsUpdates() {
        return statisticsUpdates;
    }
}
