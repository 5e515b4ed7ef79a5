package com.headcount.local.stack;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.HeadcountTables;
import com.headcount.local.emulator.LocalAws;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Creates what the CDK app creates in AWS, on the emulators: the tables and the streams. Idempotent, so a local
 * stack restarted on its data folder finds them in place.
 */
public final class LocalResources {

    public static final String SCANS_STREAM = "scans";

    private LocalResources() {}

    public static void createTables(DynamoDbClient dynamo, HeadcountSettings settings) {
        for (var table : HeadcountTables.all(settings)) {
            try {
                LocalAws.createTable(dynamo, table);
            } catch (ResourceInUseException alreadyThere) {
                // kept from an earlier run, perhaps one killed before the table turned ACTIVE
                LocalAws.awaitTableActive(dynamo, table.tableName(), Duration.ofSeconds(10));
            }
        }
    }

    public static void createStream(KinesisClient kinesis, String name, int shards) {
        try {
            LocalAws.createStream(kinesis, name, shards);
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceInUseException alreadyThere) {
            LocalAws.awaitStreamActive(kinesis, name, Duration.ofSeconds(10));
        }
    }
}
