package com.headcount.handlers;

import com.headcount.adapters.dynamodb.DynamoAllowListSource;
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
}
