package com.headcount.adapters.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The statistics table's key schema (see {@link StatisticsItems}); on-demand like the others. */
public final class StatisticsTables {

    private StatisticsTables() {}

    public static CreateTableRequest statistics(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(StatisticsItems.PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(StatisticsItems.SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(StatisticsItems.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(StatisticsItems.SK).keyType(KeyType.RANGE).build())
                .build();
    }
}
