package com.headcount.handlers;

import com.headcount.adapters.aws.AwsFailures;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoDedupWindow;
import com.headcount.adapters.dynamodb.DynamoOutcomeLog;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.kinesis.KinesisAcceptedScans;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.reference.CachedReferenceData;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The decision path's parts, shared by the ingest and the API function ({@link Functions} puts each function together). */
public final class Wiring {

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
}
