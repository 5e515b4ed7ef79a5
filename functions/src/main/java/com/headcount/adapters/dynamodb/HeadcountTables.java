package com.headcount.adapters.dynamodb;

import com.headcount.adapters.aws.HeadcountSettings;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables' key schemas, in one place for the local stack and the tests (the CDK app declares the same).
 * All on-demand: attendance is spiky, and idle events should cost nothing.
 */
public final class HeadcountTables {

    private HeadcountTables() {}

    public static List<CreateTableRequest> all(HeadcountSettings settings) {
        return List.of(reference(settings.referenceTable()), scans(settings.scansTable()), windows(settings.windowsTable()),
                StatisticsTables.statistics(settings.statisticsTable()),
                connections(DynamoConnections.DEFAULT_TABLE), tickets(DynamoConnectTickets.DEFAULT_TABLE));
    }

    /** Dashboards' connections, and the index of an event's connections for the broadcaster. */
    public static CreateTableRequest connections(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(DynamoConnections.KEY), string(DynamoConnections.EVENT))
                .keySchema(hash(DynamoConnections.KEY))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DynamoConnections.BY_EVENT)
                        .keySchema(hash(DynamoConnections.EVENT), range(DynamoConnections.KEY))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .build();
    }

    public static CreateTableRequest tickets(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(DynamoConnectTickets.KEY))
                .keySchema(hash(DynamoConnectTickets.KEY))
                .build();
    }

    public static CreateTableRequest reference(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(ReferenceItems.PK), string(ReferenceItems.SK),
                        string(ReferenceItems.STATS_INDEX), number(ReferenceItems.STATS_UNTIL))
                .keySchema(hash(ReferenceItems.PK), range(ReferenceItems.SK))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(ReferenceItems.BY_STATS_WINDOW)
                        .keySchema(hash(ReferenceItems.STATS_INDEX), range(ReferenceItems.STATS_UNTIL))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .build();
    }

    public static CreateTableRequest scans(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(OutcomeItems.KEY), string(OutcomeItems.PARTICIPANT_KEY),
                        string(OutcomeItems.GATE_KEY), string(OutcomeItems.TIME_KEY),
                        string(DynamoUnpublishedScans.ATTRIBUTE))
                .keySchema(hash(OutcomeItems.KEY))
                .globalSecondaryIndexes(
                        index(OutcomeItems.BY_PARTICIPANT, OutcomeItems.PARTICIPANT_KEY),
                        index(OutcomeItems.BY_GATE, OutcomeItems.GATE_KEY),
                        // sparse: only accepted scans the HTTP API could not publish yet
                        index(DynamoUnpublishedScans.INDEX, DynamoUnpublishedScans.ATTRIBUTE))
                .build();
    }

    public static CreateTableRequest windows(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(DynamoDedupWindow.KEY))
                .keySchema(hash(DynamoDedupWindow.KEY))
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String hashKey) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(hash(hashKey), range(OutcomeItems.TIME_KEY))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static AttributeDefinition number(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.N).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }
}
