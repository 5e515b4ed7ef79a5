package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class TablesAndStreamsTemplateTest {

    @Test
    void everyTableIsOnDemandWithPointInTimeRecoveryAndTtlExactlyWhereAnAttributeIsOne() {
        Map<String, Object> ttl = new TreeMap<>();
        for (var t : Synthesised.properties(PROD_TEMPLATE, "AWS::DynamoDB::Table")) {
            assertEquals("PAY_PER_REQUEST", t.get("BillingMode"), String.valueOf(t.get("TableName")));
            assertEquals(Map.of("PointInTimeRecoveryEnabled", true), t.get("PointInTimeRecoverySpecification"));
            assertEquals(Map.of("SSEEnabled", true), t.get("SSESpecification"));
            if (t.get("TimeToLiveSpecification") != null) ttl.put(String.valueOf(t.get("TableName")), t.get("TimeToLiveSpecification"));
        }
        Map<String, Object> enabled = Map.of("AttributeName", "expiresAt", "Enabled", true);
        assertEquals(Map.of("headcount-prod-dedup-windows", enabled, "headcount-prod-connections", enabled,
                "headcount-prod-dashboard-tickets", enabled), ttl);
    }

    @Test
    void productionTablesAreProtectedAndKeptOthersAreNot() {
        for (var entry : Map.of(PROD_TEMPLATE, true, DEV_TEMPLATE, false).entrySet()) {
            for (Object resource : Synthesised.resources(entry.getKey(), "AWS::DynamoDB::Table").values()) {
                Map<?, ?> r = (Map<?, ?>) resource;
                Map<?, ?> p = (Map<?, ?>) r.get("Properties");
                String name = String.valueOf(p.get("TableName"));
                // connections and connect tickets are transient
                if (name.endsWith("-connections") || name.endsWith("-dashboard-tickets")) continue;
                assertEquals(entry.getValue(), p.get("DeletionProtectionEnabled"), String.valueOf(p.get("TableName")));
                assertEquals(entry.getValue() ? "Retain" : "Delete", r.get("DeletionPolicy"));
            }
        }
    }

    @Test
    void streamsAreEncryptedOnDemandByDefaultAndProvisionedByParameter() {
        assertStreams(DEV_TEMPLATE, Map.of("StreamModeDetails", Map.of("StreamMode", "ON_DEMAND")), null, 24);
        assertStreams(PROD_TEMPLATE, Map.of("StreamModeDetails", Map.of("StreamMode", "PROVISIONED")), 4, 7 * 24);
    }

    @Test
    void productionKeepsItsFailureQueuesLikeItsStreamsAndTables() {
        for (var entry : Map.of(PROD_TEMPLATE, "Retain", DEV_TEMPLATE, "Delete").entrySet()) {
            var queues = Synthesised.resources(entry.getKey(), "AWS::SQS::Queue");
            assertEquals(4, queues.size(), "ingest's and alert delivery's on-failure queues, one per topic rule");
            for (var q : queues.entrySet()) {
                Map<?, ?> r = (Map<?, ?>) q.getValue();
                assertEquals(entry.getValue(), r.get("DeletionPolicy"), q.getKey());
                assertEquals(entry.getValue(), r.get("UpdateReplacePolicy"), q.getKey());
            }
            for (Object stream : Synthesised.resources(entry.getKey(), "AWS::Kinesis::Stream").values()) {
                assertEquals(entry.getValue(), ((Map<?, ?>) stream).get("DeletionPolicy"));
            }
        }
    }

    /**
     * What makes a production stage re-creatable after a destroy (README, Teardown): a kept resource either has a
     * static name and Retain, which {@code cdk deploy --import-existing-resources} adopts, or no fixed name at all, so
     * the new stack's resource cannot collide with the old one.
     */
    @Test
    void everyResourceAProductionStackKeepsCanBeAdoptedOrCollidesWithNothing() {
        Map<String, String> nameProperty = Map.of("AWS::DynamoDB::Table", "TableName", "AWS::Kinesis::Stream", "Name",
                "AWS::SQS::Queue", "QueueName", "AWS::Logs::LogGroup", "LogGroupName", "AWS::S3::Bucket", "BucketName");
        // types CloudFormation can import by their name
        var adoptable = java.util.Set.of("AWS::DynamoDB::Table", "AWS::Kinesis::Stream");
        Map<String, Integer> named = new TreeMap<>();
        for (var entry : ((Map<?, ?>) PROD_TEMPLATE.toJSON().get("Resources")).entrySet()) {
            Map<?, ?> r = (Map<?, ?>) entry.getValue();
            if (!"Retain".equals(r.get("DeletionPolicy"))) continue;
            String type = String.valueOf(r.get("Type"));
            assertTrue(nameProperty.containsKey(type), "a kept resource of a type this test does not know: " + type);
            Object name = r.get("Properties") == null ? null : ((Map<?, ?>) r.get("Properties")).get(nameProperty.get(type));
            if (name == null) continue;
            assertTrue(name instanceof String, entry.getKey() + ": a name CloudFormation can match must be static: " + name);
            assertTrue(adoptable.contains(type), entry.getKey() + " is kept under a fixed name and cannot be adopted");
            named.merge(type, 1, Integer::sum);
        }
        assertEquals(Map.of("AWS::DynamoDB::Table", 4, "AWS::Kinesis::Stream", 3), named);
    }

    private static void assertStreams(Template template, Map<String, Object> mode, Integer scansShards, int scansHours) {
        var streams = Synthesised.properties(template, "AWS::Kinesis::Stream");
        assertEquals(3, streams.size());
        for (var s : streams) {
            assertEquals(Map.of("EncryptionType", "KMS", "KeyId", "alias/aws/kinesis"), s.get("StreamEncryption"));
            assertEquals(mode.get("StreamModeDetails"), s.get("StreamModeDetails"));
            boolean scans = String.valueOf(s.get("Name")).endsWith("-scans");
            // the replay runbook reads from scans; the internal streams are replayed by nobody, so they stay cheap
            assertEquals(scans ? scansHours : 24, s.get("RetentionPeriodHours"), String.valueOf(s.get("Name")));
            if (scans) {
                assertEquals(scansShards, s.get("ShardCount"));
            } else if (scansShards == null) {
                assertNull(s.get("ShardCount"));
            }
        }
    }
}
