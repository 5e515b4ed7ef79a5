package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.AwsFailures;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.cloudwatch.EmbeddedMetrics;
import com.headcount.adapters.dynamodb.DynamoDedupWindow;
import com.headcount.adapters.dynamodb.DynamoOutcomeLog;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.kinesis.KinesisAcceptedScans;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.reference.CachedReferenceData;
import com.headcount.adapters.iot.IotGateFeedback;
import com.headcount.core.decision.GateFeedback;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Puts the core together with its adapters; the handlers' only construction code. */
public final class Wiring {

    /** Telling gates must not hold a batch up for long: the outcomes are already stored. */
    public static final Duration FEEDBACK_DEADLINE = Duration.ofSeconds(5);

    private Wiring() {}

    public static Gatekeeper gatekeeper(DynamoDbClient dynamo, KinesisClient kinesis, HeadcountSettings settings,
                                        Clock clock) {
        return new Gatekeeper(referenceData(dynamo, settings, clock),
                new DynamoDedupWindow(dynamo, settings.windowsTable(), settings.dedupRetention()),
                new DynamoOutcomeLog(dynamo, settings.scansTable()),
                new KinesisAcceptedScans(kinesis, settings.attendanceRecordedStream()),
                clock, settings.decisionParallelism(), AwsFailures::classify);
    }

    /** Reference data through the warm per-instance cache, as every function reads it. */
    public static CachedReferenceData referenceData(DynamoDbClient dynamo, HeadcountSettings settings, Clock clock) {
        return new CachedReferenceData(new DynamoReferenceData(dynamo, settings.referenceTable()), clock,
                settings.referenceCacheTtl(), settings.referenceCacheEntries());
    }

    /** Lambda's wiring of the ingest function: everything from the environment, built once per instance. */
    static IngestFunction ingestFromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        HeadcountSettings settings = HeadcountSettings.fromEnvironment();
        GateFeedback feedback = settings.iotDataEndpoint() == null ? GateFeedback.NONE
                : new IotGateFeedback(clients.iotDataPlane(settings.iotDataEndpoint()), settings.stage(),
                        FEEDBACK_DEADLINE);
        DynamoDbClient dynamo = clients.dynamoDb();
        Priming.register("IngestFunction", Priming.scanPath(dynamo, settings.referenceTable()));
        return new IngestFunction(gatekeeper(dynamo, clients.kinesis(), settings, Clock.systemUTC()), feedback,
                new EmbeddedMetrics(settings.metricsNamespace()));
    }
}
