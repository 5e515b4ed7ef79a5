package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.headcount.local.stack.TestStacks.await;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 8 over MQTT, through the local broker, its topic rule, the mapping runner and the real IngestFunction: a corpus
 * of hostile messages on gate north's topic, each answered on north's decisions topic and stored as a reject, then a
 * good scan on every gate, each decided. Nothing a gate sends can stop the shard, and a gate speaks only for itself.
 */
class HostileMessagesTest {

    @TempDir
    Path data;

    record Hostile(String name, byte[] payload, String scanId, String reason) {}

    @Test
    void hostileMessagesAreAnsweredToTheirOwnGateAndEveryGateIsDecidedAfterThem() throws Exception {
        StackOptions options = TestStacks.onFreePorts(data);
        try (LocalStack stack = LocalStack.start(options, new PrintStream(new ByteArrayOutputStream()));
             MqttProbe probe = new MqttProbe(stack.broker().port(), "headcount/local/demo/gates/+/decisions")) {
            await(() -> probe.subscriptions.get() > 0, "subscribed");
            Instant now = Instant.now();
            List<Hostile> corpus = corpus(now);
            for (Hostile h : corpus) probe.publish(topic("demo", "north"), h.payload());
            // the cross-event case: a body for another event, on demo's north topic
            Map<String, Object> otherEvent = scan("north", "P-00007", now);
            otherEvent.put("eventId", "other-event");
            corpus = new ArrayList<>(corpus);
            corpus.add(new Hostile("another event's scan", json(otherEvent), (String) otherEvent.get("scanId"), "topic_mismatch"));
            probe.publish(topic("demo", "north"), corpus.get(corpus.size() - 1).payload());

            List<String> gates = List.of("north", "south", "east", "vip");
            Map<String, String> good = new LinkedHashMap<>();
            for (int i = 0; i < gates.size(); i++) {
                Map<String, Object> scan = scan(gates.get(i), "P-0010" + (i + 1), now);
                good.put((String) scan.get("scanId"), gates.get(i));
                probe.publish(topic("demo", gates.get(i)), json(scan));
            }

            int expected = corpus.size() + good.size();
            await(() -> probe.received.size() >= expected, "a decision for every message");
            Map<String, Map<String, Object>> byScan = new LinkedHashMap<>();
            List<Map<String, Object>> unnamed = new ArrayList<>();
            for (var m : probe.received) {
                Map<String, Object> decision = JSON.std.mapFrom(m.payload());
                decision.put("topic", m.topic());
                if (decision.get("scanId") instanceof String id) byScan.put(id, decision);
                else unnamed.add(decision);
            }
            for (Hostile h : corpus) {
                if (h.scanId() == null) continue;
                var d = byScan.get(h.scanId());
                assertTrue(d != null, h.name() + ": answered");
                assertEquals("rejected", d.get("outcome"), h.name());
                assertEquals(h.reason(), d.get("reason"), h.name() + ": " + d.get("detail"));
                assertEquals("headcount/local/demo/gates/north/decisions", d.get("topic"), h.name() + ": to the topic's gate");
            }
            long withoutId = corpus.stream().filter(h -> h.scanId() == null).count();
            assertEquals(withoutId, unnamed.size(), "unreadable messages are answered too: " + unnamed);
            unnamed.forEach(d -> assertEquals("headcount/local/demo/gates/north/decisions", d.get("topic")));
            good.forEach((scanId, gate) -> {
                var d = byScan.get(scanId);
                assertEquals("accepted", d.get("outcome"), gate + ": " + d);
                assertEquals("headcount/local/demo/gates/" + gate + "/decisions", d.get("topic"));
            });
            assertTrue(probe.received.stream().filter(m -> m.topic().contains("/vip/")).count() == 1,
                    "gate vip heard only of its own scan, not of the one north sent in its name");

            var refused = stack.dynamo().scan(b -> b.tableName(stack.settings().scansTable())
                    .filterExpression("begins_with(scanKey, :r) AND gateId = :north")
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("refused#"),
                            ":north", AttributeValue.fromS("north"))));
            assertEquals(corpus.size(), refused.count(), "every hostile message is stored, under the topic's gate");
        }
    }

    /** Every class of issue 8's item 1, and the cross-gate case, each on gate north's topic. */
    private static List<Hostile> corpus(Instant now) {
        List<Hostile> corpus = new ArrayList<>();
        for (String number : List.of("1e-200", "1e200", "123456789012345678901234567890123456789", "-9.99e130")) {
            Map<String, Object> scan = scan("north", "P-00002", now);
            String body = new String(json(scan), StandardCharsets.UTF_8).replace("}", ",\"deviceInfo\":{\"battery\":" + number + "}}");
            corpus.add(new Hostile("number " + number, body.getBytes(StandardCharsets.UTF_8), (String) scan.get("scanId"), "malformed"));
        }
        Map<String, Object> nested = scan("north", "P-00002", now);
        nested.put("deviceInfo", Map.of("radio", Map.of("rssi", -60)));
        corpus.add(new Hostile("nested deviceInfo", json(nested), (String) nested.get("scanId"), "malformed"));
        for (String timestamp : List.of("+999999999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "-000001-01-01T00:00:00Z")) {
            Map<String, Object> scan = scan("north", "P-00003", now);
            scan.put("timestamp", timestamp);
            corpus.add(new Hostile("timestamp " + timestamp, json(scan), (String) scan.get("scanId"), "malformed"));
        }
        Map<String, Object> big = scan("north", "P-00004", now);
        big.put("location", "x".repeat(9000));
        corpus.add(new Hostile("over 8 KB", json(big), null, "malformed"));
        Map<String, Object> surrogate = scan("north", "P-00004", now);
        String lone = new String(json(surrogate), StandardCharsets.UTF_8).replace("}", ",\"location\":\"hall \\ud800\"}");
        corpus.add(new Hostile("lone surrogate", lone.getBytes(StandardCharsets.UTF_8), (String) surrogate.get("scanId"), "malformed"));
        Map<String, Object> twice = scan("north", "P-00005", now);
        String duplicated = new String(json(twice), StandardCharsets.UTF_8).replace("}", ",\"gateId\":\"vip\"}");
        corpus.add(new Hostile("gateId twice", duplicated.getBytes(StandardCharsets.UTF_8), null, "malformed"));
        corpus.add(new Hostile("not JSON", "{oops".getBytes(StandardCharsets.UTF_8), null, "malformed"));
        corpus.add(new Hostile("binary", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 7}, null, "malformed"));
        corpus.add(new Hostile("a JSON array", "[1,2,3]".getBytes(StandardCharsets.UTF_8), null, "malformed"));
        Map<String, Object> vip = scan("vip", "P-00006", now);
        corpus.add(new Hostile("vip's scan on north's topic", json(vip), (String) vip.get("scanId"), "topic_mismatch"));
        return corpus;
    }

    private static Map<String, Object> scan(String gate, String participant, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scanId", UUID.randomUUID().toString());
        m.put("eventId", "demo");
        m.put("participantId", participant);
        m.put("gateId", gate);
        m.put("timestamp", at.toString());
        m.put("method", "qr_scan");
        return m;
    }

    private static String topic(String event, String gate) {
        return "headcount/local/" + event + "/gates/" + gate + "/scans";
    }

    private static byte[] json(Object value) {
        try {
            return JSON.std.asBytes(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
