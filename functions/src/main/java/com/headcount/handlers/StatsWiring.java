package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.dynamodb.DynamoEventDirectory;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.dynamodb.DynamoStatisticsStore;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.adapters.kinesis.KinesisStatisticsUpdates;
import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.stats.AlertRules;
import com.headcount.core.stats.Publication;
import com.headcount.core.stats.StatsClock;
import com.headcount.core.stats.StatsUpdater;
import com.headcount.core.time.Sleeper;
import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Puts the stats function and the statistics clock together; their only construction code. */
public final class StatsWiring {

    private StatsWiring() {}

    /** The parts the counting path and the clock share: the store, the outbox and the publication. */
    private record Parts(DynamoStatisticsStore store, AlertOutbox outbox, Publication publication) {

        static Parts of(DynamoDbClient dynamo, KinesisClient kinesis, StatsSettings settings, Clock clock) {
            var counts = new ParticipantCounts(dynamo, settings.statisticsTable(), settings.shared().referenceTable());
            var store = new DynamoStatisticsStore(dynamo, settings.statisticsTable(), counts);
            var view = new DynamoStatisticsView(dynamo, settings.statisticsTable(), settings.shared().referenceTable(), clock);
            var updates = new KinesisStatisticsUpdates(kinesis, settings.statisticsUpdatesStream());
            return new Parts(store, new AlertOutbox(store, List.of(updates)),
                    new Publication(view, updates));
        }
    }

    /** @param sleeper waits for the trailing publication and between write conflicts */
    public static StatsUpdater updater(DynamoDbClient dynamo, KinesisClient kinesis, StatsSettings settings, Clock clock,
                                       Sleeper sleeper) {
        Parts parts = Parts.of(dynamo, kinesis, settings, clock);
        return new StatsUpdater(Wiring.referenceData(dynamo, settings.shared(), clock),
                new DynamoReferenceData(dynamo, settings.shared().referenceTable(), true), parts.store(), parts.outbox(),
                parts.publication(), AlertRules.STANDARD, clock, sleeper, RandomGenerator.getDefault());
    }

    public static StatsClock clock(DynamoDbClient dynamo, KinesisClient kinesis, StatsSettings settings, Clock clock,
                                   Sleeper sleeper) {
        Parts parts = Parts.of(dynamo, kinesis, settings, clock);
        return new StatsClock(new DynamoEventDirectory(dynamo, settings.shared().referenceTable()), parts.store(),
                parts.outbox(), parts.publication(), AlertRules.STANDARD, clock, sleeper, RandomGenerator.getDefault());
    }

    /** Lambda's wiring: everything from the environment, built once per instance. */
    static StatsFunction fromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        StatsSettings settings = StatsSettings.fromEnvironment();
        DynamoDbClient dynamo = clients.dynamoDb();
        Priming.register("StatsFunction", Priming.scanPath(dynamo, settings.shared().referenceTable()));
        return new StatsFunction(updater(dynamo, clients.kinesis(), settings, Clock.systemUTC(), Sleeper.REAL));
    }

    static StatsClockFunction clockFromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        return new StatsClockFunction(clock(clients.dynamoDb(), clients.kinesis(), StatsSettings.fromEnvironment(),
                Clock.systemUTC(), Sleeper.REAL));
    }
}
