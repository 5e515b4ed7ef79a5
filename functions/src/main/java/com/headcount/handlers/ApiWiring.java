package com.headcount.handlers;

import com.headcount.adapters.aws.AwsFailures;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoAttendanceLog;
import com.headcount.adapters.dynamodb.DynamoParticipantRegistry;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.dynamodb.DynamoUnpublishedScans;
import com.headcount.core.allowlist.AllowListChanges;
import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.stats.StatisticsView;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Puts the API function together: the ingest path's gatekeeper plus the set-up, import and log adapters. */
public final class ApiWiring {

    private ApiWiring() {}

    public static AttendanceApi.Services services(DynamoDbClient dynamo, KinesisClient kinesis, ApiSettings settings,
                                                  StatisticsView statistics, Clock clock) {
        return services(dynamo, kinesis, settings, statistics, clock, null);
    }

    /**
     * @param allowLists told after each set-up write (the allow-lists' rebuild trigger), and asked by staff phones for
     *                   their gate's list; null where allow-lists are not deployed
     */
    public static AttendanceApi.Services services(DynamoDbClient dynamo, KinesisClient kinesis, ApiSettings settings,
                                                  StatisticsView statistics, Clock clock, AllowLists allowLists) {
        var shared = settings.shared();
        ExecutorService writers = Executors.newFixedThreadPool(settings.importWriters(), runnable -> {
            Thread t = new Thread(runnable, "participant-import");
            t.setDaemon(true);
            return t;
        });
        return new AttendanceApi.Services(
                Wiring.gatekeeper(dynamo, kinesis, shared, clock),
                new DynamoUnpublishedScans(dynamo, shared.scansTable()),
                new DynamoReferenceData(dynamo, shared.referenceTable()),
                new DynamoParticipantRegistry(dynamo, shared.referenceTable(), shared.statisticsTable(), writers),
                new DynamoAttendanceLog(dynamo, shared.scansTable()),
                statistics, settings.maxSyncImportBytes(), AwsFailures::classify, clock,
                DashboardWiring.tickets(dynamo, settings.ticketsTable(), clock),
                allowLists == null ? AllowListChanges.NONE : allowLists, allowLists);
    }

    /** The one read path of statistics, shared with the dashboards' broadcaster. */
    public static StatisticsView statistics(DynamoDbClient dynamo, HeadcountSettings settings, Clock clock) {
        return new DynamoStatisticsView(dynamo, settings.statisticsTable(), settings.referenceTable(), clock);
    }
}
