package com.headcount.local.stack;

import static com.headcount.local.stack.TestStacks.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 19 point 7: stages of one AWS account share its broker, so the stage is in every topic. A stack of stage
 * {@code prod} next to a gate of stage {@code dev} with the same event and gate ids: the dev gate's scan and heartbeat
 * reach none of prod's pipeline, and prod's decisions go only to prod's topics.
 */
class StageTopicsTest {

    @TempDir
    Path data;

    @Test
    void aGateOfAnotherStageIsNeitherIngestedNorCountedNorTold() throws Exception {
        var console = new ByteArrayOutputStream();
        try (LocalStack stack = LocalStack.start(TestStacks.onFreePorts(data, "--stage", "prod"), new PrintStream(console));
             MqttProbe probe = new MqttProbe(stack.broker().port(), "headcount/+/demo/gates/+/decisions")) {
            assertTrue(console.toString().contains("gates publish headcount/prod/{eventId}/gates/{gateId}/scans"),
                    "bin/local says where gates publish");
            await(() -> probe.subscriptions.get() > 0, "subscribed");
            Instant now = Instant.now();

            // the dev gate first, on the same client: had a rule taken its messages, they would be ahead of prod's
            Map<String, Object> devScan = scan("P-00011", now);
            probe.publish("headcount/dev/demo/gates/north/scans", json(devScan));
            probe.publish("headcount/dev/demo/gates/north/status", json(heartbeat("dev-gate", now)));
            Map<String, Object> prodScan = scan("P-00012", now);
            probe.publish("headcount/prod/demo/gates/north/scans", json(prodScan));
            probe.publish("headcount/prod/demo/gates/north/status", json(heartbeat("prod-gate", now)));

            await(() -> probe.received.stream().anyMatch(m -> new String(m.payload()).contains(
                    (String) prodScan.get("scanId"))), "prod's decision");
            await(() -> "prod-gate".equals(heartbeatVersion(stack)), "prod's heartbeat stored");
            stack.awaitCaughtUp(Duration.ofSeconds(30));

            assertEquals(1, stack.broker().heartbeatsStored(), "the dev gate's heartbeat never reached prod's statistics");
            var stored = stack.outcomes().of("demo");
            assertEquals("accepted", stored.get((String) prodScan.get("scanId")).outcome());
            assertFalse(stored.containsKey((String) devScan.get("scanId")), "the dev gate's scan was not ingested");
            var devParticipant = stack.dynamo().scan(b -> b.tableName(stack.settings().scansTable())
                    .filterExpression("participantId = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("P-00011"))));
            assertEquals(0, devParticipant.count(), "nothing stored of the dev gate's scan, not even as refused");
            assertEquals(List.of("headcount/prod/demo/gates/north/decisions"),
                    probe.received.stream().map(MqttProbe.Message::topic).distinct().toList(),
                    "prod's decisions go to prod's topic only");
        }
    }

    private static String heartbeatVersion(LocalStack stack) {
        var item = stack.dynamo().getItem(b -> b.tableName(stack.settings().statisticsTable())
                .key(Map.of("pk", AttributeValue.fromS("EVENT#demo"), "sk", AttributeValue.fromS("HEARTBEAT#north"))))
                .item();
        return item == null || !item.containsKey("version") ? null : item.get("version").s();
    }

    private static Map<String, Object> scan(String participant, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scanId", UUID.randomUUID().toString());
        m.put("eventId", "demo");
        m.put("participantId", participant);
        m.put("gateId", "north");
        m.put("timestamp", at.toString());
        m.put("method", "qr_scan");
        return m;
    }

    private static Map<String, Object> heartbeat(String version, Instant at) {
        return Map.of("sentAt", at.toString(), "connected", true, "queueLength", 0, "version", version);
    }

    private static byte[] json(Object value) throws Exception {
        return JSON.std.asBytes(value);
    }
}
