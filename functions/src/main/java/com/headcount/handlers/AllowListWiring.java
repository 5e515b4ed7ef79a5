package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.dynamodb.DynamoAllowListSource;
import com.headcount.adapters.iot.IotAllowListChannel;
import com.headcount.core.allowlist.AllowListChanges;
import com.headcount.core.allowlist.AllowLists;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Puts the allow-lists together: the reference table, the bucket (or the local stand-in), the IoT data plane. */
public final class AllowListWiring {

    private AllowListWiring() {}

    public static AllowLists allowLists(DynamoDbClient dynamo, AllowLists.Store store, AllowLists.Channel channel,
                                        AllowListSettings settings, Clock clock) {
        return new AllowLists(new DynamoAllowListSource(dynamo, settings.shared().referenceTable()), store, channel,
                clock, settings.urlValidity());
    }

    /** In Lambda; {@link AllowListChanges#NONE} where no bucket is configured. */
    static AllowListChanges changesFromEnvironment(AwsClients clients, DynamoDbClient dynamo) {
        AllowListSettings settings = AllowListSettings.fromEnvironment();
        if (settings.bucket() == null || settings.shared().iotDataEndpoint() == null) return AllowListChanges.NONE;
        return fromEnvironment(clients, dynamo, settings);
    }

    static AllowLists fromEnvironment(AwsClients clients, DynamoDbClient dynamo, AllowListSettings settings) {
        if (settings.bucket() == null) throw new IllegalStateException("ALLOWLIST_BUCKET is not set");
        if (settings.shared().iotDataEndpoint() == null) throw new IllegalStateException("IOT_DATA_ENDPOINT is not set");
        Clock clock = Clock.systemUTC();
        return allowLists(dynamo, clients.allowListBucket(settings.bucket(), settings.prefix(), null, clock),
                new IotAllowListChannel(clients.iotDataPlane(settings.shared().iotDataEndpoint()),
                        settings.shared().stage()), settings, clock);
    }
}
