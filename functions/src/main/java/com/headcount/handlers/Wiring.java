package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
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

/** Puts the core together with its adapters; the handlers' only construction code. */
public final class Wiring {

    private Wiring() {}

    public static Gatekeeper gatekeeper(DynamoDbClient dynamo, KinesisClient kinesis, HeadcountSettings settings,
                                        Clock clock) {
        var reference = new CachedReferenceData(new DynamoReferenceData(dynamo, settings.referenceTable()), clock,
                settings.referenceCacheTtl(), settings.referenceCacheEntries());
        return new Gatekeeper(reference,
                new DynamoDedupWindow(dynamo, settings.windowsTable(), settings.dedupRetention()),
                new DynamoOutcomeLog(dynamo, settings.scansTable()),
                new KinesisAcceptedScans(kinesis, settings.attendanceRecordedStream()),
                clock);
    }

    static Gatekeeper gatekeeperFromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        return gatekeeper(clients.dynamoDb(), clients.kinesis(), HeadcountSettings.fromEnvironment(), Clock.systemUTC());
    }
}
