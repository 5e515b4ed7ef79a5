package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.dynamodb.DynamoStatisticsStore;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.adapters.eventbridge.EventBridgeAlerts;
import com.headcount.adapters.kinesis.KinesisStatisticsUpdates;
import com.headcount.adapters.webhook.WebhookAlerts;
import com.headcount.adapters.webhook.WebhookConfig;
import com.headcount.adapters.webhook.WebhookSender;
import com.headcount.core.stats.AlertChannel;
import com.headcount.core.stats.StatsUpdater;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Puts the stats function together; its only construction code. */
public final class StatsWiring {

    private StatsWiring() {}

    /**
     * @param extraChannels alert channels besides `statistics-updates` (EventBridge, webhooks)
     */
    public static StatsUpdater updater(DynamoDbClient dynamo, KinesisClient kinesis, StatsSettings settings,
                                       List<AlertChannel> extraChannels, Clock clock) {
        var reference = Wiring.referenceData(dynamo, settings.shared(), clock);
        var counts = new ParticipantCounts(dynamo, settings.statisticsTable(), settings.shared().referenceTable());
        var store = new DynamoStatisticsStore(dynamo, settings.statisticsTable(), counts);
        var view = new DynamoStatisticsView(dynamo, settings.statisticsTable(), settings.shared().referenceTable(), clock);
        var updates = new KinesisStatisticsUpdates(kinesis, settings.statisticsUpdatesStream(), clock);
        List<AlertChannel> channels = new ArrayList<>(extraChannels);
        channels.add(updates);
        return new StatsUpdater(reference, store, channels, view, updates, settings.publishInterval(), clock);
    }

    /** Lambda's wiring: everything from the environment, built once per instance. */
    static StatsFunction fromEnvironment() {
        AwsClients clients = AwsClients.fromEnvironment();
        StatsSettings settings = StatsSettings.fromEnvironment();
        List<AlertChannel> channels = new ArrayList<>();
        if (settings.eventBusName() != null) {
            channels.add(new EventBridgeAlerts(clients.eventBridge(settings.eventBridgeEndpoint()), settings.eventBusName()));
        }
        String urls = System.getenv(WebhookConfig.URLS_VARIABLE);
        if (urls != null && !urls.isBlank()) {
            channels.add(new WebhookAlerts(WebhookSender.create(WebhookConfig.fromEnvironment(System.getenv()))));
        }
        return new StatsFunction(updater(clients.dynamoDb(), clients.kinesis(), settings, channels, Clock.systemUTC()));
    }
}
