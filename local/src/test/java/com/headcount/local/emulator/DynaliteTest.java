package com.headcount.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

class DynaliteTest {

    @Test
    void servesATableThroughLocalAwsAndReleasesItsPortOnClose() throws IOException {
        int port;
        try (var dynalite = Dynalite.start(); var dynamoDb = LocalAws.dynamoDb(dynalite.endpoint())) {
            port = dynalite.port();
            assertEquals("http://127.0.0.1:" + port, dynalite.endpoint().toString());

            var table = LocalAws.createTable(dynamoDb, records());
            assertEquals(TableStatus.ACTIVE, table.tableStatus());

            var item = Map.of("pk", AttributeValue.fromS("scan-1"), "gate", AttributeValue.fromS("A"));
            dynamoDb.putItem(r -> r.tableName("records").item(item).conditionExpression("attribute_not_exists(pk)"));
            assertThrows(ConditionalCheckFailedException.class, () -> dynamoDb.putItem(
                    r -> r.tableName("records").item(item).conditionExpression("attribute_not_exists(pk)")));
            assertEquals(item, dynamoDb.getItem(r -> r.tableName("records")
                    .key(Map.of("pk", AttributeValue.fromS("scan-1")))).item());
            assertTrue(dynalite.isAlive());
        }
        try (var again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port is free once dynalite is closed");
        }
    }

    @Test
    void keepsTablesAcrossARestartWithADataDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) {
        var key = Map.of("pk", AttributeValue.fromS("scan-1"));
        try (var dynalite = Dynalite.builder().dataDirectory(data).start();
             var dynamoDb = LocalAws.dynamoDb(dynalite.endpoint())) {
            LocalAws.createTable(dynamoDb, records());
            dynamoDb.putItem(r -> r.tableName("records").item(key));
        }
        try (var dynalite = Dynalite.builder().dataDirectory(data).start();
             var dynamoDb = LocalAws.dynamoDb(dynalite.endpoint())) {
            assertEquals(key, dynamoDb.getItem(r -> r.tableName("records").key(key)).item());
        }
    }

    @Test
    void aTakenPortFailsTheStartNamingThePort() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var error = assertThrows(IllegalStateException.class,
                    () -> Dynalite.builder().port(taken.getLocalPort()).start());
            assertTrue(error.getMessage().contains("port " + taken.getLocalPort()), error.getMessage());
        }
    }

    @Test
    void missingInstallationSaysHowToInstall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        var error = assertThrows(IllegalStateException.class,
                () -> Dynalite.builder().emulatorsDirectory(empty).start());
        assertTrue(error.getMessage().contains("run bin/emulators (npm ci in local/emulators)"), error.getMessage());
        assertFalse(error.getMessage().isBlank());
    }

    private static CreateTableRequest records() {
        return CreateTableRequest.builder().tableName("records")
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST").build();
    }
}
