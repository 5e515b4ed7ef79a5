package com.headcount.adapters.dynamodb;

import com.headcount.core.delivery.DeliveryFailure;
import com.headcount.core.delivery.DeliveryFailures;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Undelivered alerts in the statistics table, outside the events' statistics partitions (a snapshot's Query never
 * reads them): {@code pk DELIVERY#<eventId>}, {@code sk <alert id>#<target>}, with the alert, the delivery id, the
 * tries and the last error. One Query per event lists what an integration missed.
 */
public final class DynamoDeliveryFailures implements DeliveryFailures {

    public static final String PREFIX = "DELIVERY#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDeliveryFailures(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(DeliveryFailure f) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(StatisticsItems.PK, AttributeValue.fromS(PREFIX + f.alert().eventId()));
        item.put(StatisticsItems.SK, AttributeValue.fromS(f.alert().id() + "#" + f.target()));
        item.put("alert", AttributeValue.fromS(StatisticsItems.json(f.alert())));
        item.put("target", AttributeValue.fromS(f.target()));
        item.put("deliveryId", AttributeValue.fromS(f.deliveryId()));
        item.put("tries", AttributeValue.fromN(Integer.toString(f.tries())));
        item.put("reason", AttributeValue.fromS(f.reason() == null ? "unknown" : f.reason()));
        item.put("failedAt", AttributeValue.fromS(f.failedAt().toString()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }
}
