package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.dynamodb.DynamoAttendanceLog;
import com.headcount.adapters.dynamodb.DynamoParticipantImports;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.stats.StatisticsView;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Puts the API function together: the ingest path's gatekeeper plus the set-up, import and log adapters. */
public final class ApiWiring {

    /** Until the statistics function's view is wired in, every event answers "no statistics yet". */
    static final StatisticsView NO_STATISTICS = eventId -> Optional.empty();

    private ApiWiring() {}

    public static ApiFunction.Services services(DynamoDbClient dynamo, KinesisClient kinesis, ApiSettings settings,
                                                StatisticsView statistics, Clock clock) {
        var shared = settings.shared();
        ExecutorService writers = Executors.newFixedThreadPool(settings.importWriters(), runnable -> {
            Thread t = new Thread(runnable, "participant-import");
            t.setDaemon(true);
            return t;
        });
        return new ApiFunction.Services(
                Wiring.gatekeeper(dynamo, kinesis, shared, clock),
                new DynamoReferenceData(dynamo, shared.referenceTable()),
                new DynamoParticipantImports(dynamo, shared.referenceTable(), writers),
                new DynamoAttendanceLog(dynamo, shared.scansTable()),
                statistics, settings, clock);
    }

    static ApiFunction.Services fromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        return services(clients.dynamoDb(), clients.kinesis(), ApiSettings.fromEnvironment(), NO_STATISTICS,
                Clock.systemUTC());
    }
}
