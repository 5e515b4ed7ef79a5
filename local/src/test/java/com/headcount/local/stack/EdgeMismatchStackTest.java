package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.headcount.local.stack.TestStacks.await;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.dynamodb.DynamoStatisticsView;
import com.headcount.adapters.dynamodb.OutcomeItems;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Provisional;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.time.Sleeper;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.handlers.StatsWiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Issue 18, point 4, on the local stack: gates that decided on their own publish scans with their provisional verdict
 * over MQTT, some of which the cloud's decision contradicts. Through the broker, its topic rule, the real ingest and
 * stats functions on the emulators: each gate is told of the correction, the stored outcome holds both verdicts, the
 * statistics count every mismatch once per gate and kind (also after the batch is delivered again, and after a
 * second publication), the alert is raised when a gate reaches the event's threshold (the default, 5), and a deciding
 * gate's heartbeat shows its allow-list in gate health.
 */
class EdgeMismatchStackTest {

    static final String REFUSED_LET_IN = "cloud_refused_gate_accepted";
    static final String ACCEPTED_KEPT_OUT = "cloud_accepted_gate_refused";

    @TempDir
    Path data;

    @Test
    void mismatchesAreToldStoredCountedOnceThroughRedeliveriesAndAlertedAtTheThreshold() throws Exception {
        StackOptions options = TestStacks.onFreePorts(data);
        try (LocalStack stack = LocalStack.start(options, new PrintStream(new ByteArrayOutputStream()));
             MqttProbe probe = new MqttProbe(stack.broker().port(), "headcount/local/demo/gates/+/decisions")) {
            await(() -> probe.subscriptions.get() > 0, "subscribed");
            StatsSettings statsSettings = StatsSettings.from(Map.of());
            var view = new DynamoStatisticsView(stack.dynamo(), statsSettings.statisticsTable(),
                    stack.settings().referenceTable(), Clock.systemUTC());
            Instant now = Instant.now();
            Map<String, Object> letIn = Map.of("verdict", "accepted", "allowListVersion", 41);

            // north let in four participants cancelled since its last sync (every 40th of the demo is cancelled)
            List<String> northRefused = new ArrayList<>();
            for (String p : List.of("P-00040", "P-00080", "P-00120", "P-00160")) {
                northRefused.add(publish(probe, "north", p, now, letIn));
            }
            // south kept out two active participants; north agreed with the cloud once and sent one unreadable provisional
            List<String> southAccepted = new ArrayList<>();
            for (String p : List.of("P-00003", "P-00004")) {
                southAccepted.add(publish(probe, "south", p, now, Map.of("verdict", "rejected",
                        "reason", "participant_inactive", "allowListVersion", 40)));
            }
            String agreed = publish(probe, "north", "P-00001", now, letIn);
            String unreadable = publish(probe, "north", "P-00002", now, "yes");
            probe.publish("headcount/local/demo/gates/north/status", JSON.std.asBytes(Map.of("sentAt", now.toString(),
                    "connected", true, "queueLength", 0, "version", "gate/2", "allowListAgeSeconds", 95,
                    "allowListVersion", 41)));

            Map<String, Map<String, Object>> decisions = awaitDecisions(probe, 8);
            for (String id : northRefused) {
                var d = decisions.get(id);
                assertEquals("rejected", d.get("outcome"), d.toString());
                assertEquals("participant_inactive", d.get("reason"));
                assertEquals(true, d.get("correction"), "the gate shows the cloud's refusal as a correction");
                assertEquals(REFUSED_LET_IN, d.get("edgeMismatch"));
                assertEquals(letIn, d.get("provisional"), "what the gate showed, echoed");
            }
            for (String id : southAccepted) {
                assertEquals("accepted", decisions.get(id).get("outcome"));
                assertEquals(ACCEPTED_KEPT_OUT, decisions.get(id).get("edgeMismatch"));
            }
            assertEquals(false, decisions.get(agreed).get("correction"));
            assertNull(decisions.get(agreed).get("edgeMismatch"));
            assertEquals("accepted", decisions.get(unreadable).get("outcome"), "an unreadable provisional decides nothing");
            assertEquals(true, decisions.get(unreadable).get("correction"));
            assertEquals(Map.of("ignored", "provisional_malformed", "problem", "provisional: expected an object"),
                    decisions.get(unreadable).get("provisional"));

            var item = stack.dynamo().getItem(b -> b.tableName(stack.settings().scansTable())
                    .key(OutcomeItems.key(new ScanRef("demo", northRefused.get(0)))).consistentRead(true)).item();
            Outcome stored = OutcomeItems.read(item);
            assertEquals(Verdict.REJECTED, stored.verdict(), "the cloud's verdict, final");
            assertEquals(Provisional.of(Verdict.ACCEPTED, null, 41), stored.provisional(), "beside the gate's");
            assertEquals(REFUSED_LET_IN, item.get("provisional").m().get("edgeMismatch").s());

            stack.awaitCaughtUp(Duration.ofSeconds(60));
            await(() -> mismatches(view, "north").get(REFUSED_LET_IN).equals(4L)
                    && mismatches(view, "south").get(ACCEPTED_KEPT_OUT).equals(2L), "counted");
            Map<String, Object> before = view.snapshot("demo").orElseThrow();
            assertEquals(0L, mismatches(view, "north").get(ACCEPTED_KEPT_OUT));
            assertEquals(0L, mismatches(view, "south").get(REFUSED_LET_IN));
            assertEquals(6L, ((Map<?, ?>) ((Map<?, ?>) before.get("overall")).get("edgeMismatches")).get("total"));
            assertEquals(List.of(), edgeAlerts(before), "4 at north: under the threshold of 5");
            await(() -> "gate/2".equals(health(view, "north").get("version")), "the heartbeat stored");
            assertEquals(41L, ((Number) health(view, "north").get("allowListVersion")).longValue());
            assertTrue(((Number) health(view, "north").get("allowListAgeSeconds")).longValue() >= 95);
            assertNull(health(view, "south").get("allowListAgeSeconds"), "a gate that never said: none shown");

            // Lambda delivers the stats batch again (the same records: a retry), and the ingest's redelivery publishes
            // every mismatch a second time (new records): neither counts anything twice
            URI kinesisEndpoint = URI.create("http://127.0.0.1:" + stack.options().port(StackOptions.Service.KINESIS));
            try (KinesisClient kinesis = LocalAws.kinesis(kinesisEndpoint)) {
                String recorded = stack.settings().attendanceRecordedStream();
                Map<String, List<Record>> byShard = read(kinesis, recorded);
                assertEquals(8, byShard.values().stream().mapToInt(List::size).sum(),
                        "four accepted scans, and the four refusals north let in (on the stream only for that)");
                var retry = new StatsFunction(StatsWiring.updater(LocalAws.dynamoDb(URI.create("http://127.0.0.1:"
                        + stack.options().port(StackOptions.Service.DYNAMODB))), kinesis, statsSettings,
                        Clock.systemUTC(), Sleeper.REAL));
                for (var shard : byShard.entrySet()) {
                    retry.handleRequest(event(shard.getKey(), shard.getValue()), new LocalContext("StatsFunction",
                            Duration.ofMinutes(1)));
                    for (Record r : shard.getValue()) {
                        kinesis.putRecord(b -> b.streamName(recorded).partitionKey(r.partitionKey()).data(r.data()));
                    }
                }
            }
            stack.awaitCaughtUp(Duration.ofSeconds(60));
            assertEquals(Map.of(REFUSED_LET_IN, 4L, ACCEPTED_KEPT_OUT, 0L, "total", 4L), mismatches(view, "north"));
            assertEquals(Map.of(REFUSED_LET_IN, 0L, ACCEPTED_KEPT_OUT, 2L, "total", 2L), mismatches(view, "south"));
            assertEquals(List.of(), edgeAlerts(view.snapshot("demo").orElseThrow()));

            // the fifth at north reaches the threshold: one alert, through the alert machinery
            String fifth = publish(probe, "north", "P-00200", now, letIn);
            awaitDecisions(probe, 9);
            stack.awaitCaughtUp(Duration.ofSeconds(60));
            await(() -> mismatches(view, "north").get(REFUSED_LET_IN).equals(5L), "the fifth counted");
            var alerts = edgeAlerts(view.snapshot("demo").orElseThrow());
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals("demo:edge_mismatch#north:1", alerts.get(0).get("id"));
            assertEquals("north", alerts.get(0).get("gateId"));
            assertTrue(String.valueOf(alerts.get(0).get("message")).contains("5 edge mismatches in 15 min"),
                    String.valueOf(alerts.get(0).get("message")));
            try (KinesisClient kinesis = LocalAws.kinesis(kinesisEndpoint)) {
                List<String> raised = new ArrayList<>();
                for (List<Record> records : read(kinesis, statsSettings.statisticsUpdatesStream()).values()) {
                    for (Record r : records) {
                        Map<String, Object> m = JSON.std.mapFrom(r.data().asByteArray());
                        if (MessageTypes.ALERT_RAISED.equals(m.get("type"))) {
                            raised.add((String) ((Map<?, ?>) m.get("alert")).get("id"));
                        }
                    }
                }
                assertEquals(List.of("demo:edge_mismatch#north:1"), raised, "alert.raised on statistics-updates, once");
            }
            assertEquals(REFUSED_LET_IN, awaitDecisions(probe, 9).get(fifth).get("edgeMismatch"));
        }
    }

    private static String publish(MqttProbe probe, String gate, String participant, Instant at, Object provisional)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        String scanId = UUID.randomUUID().toString();
        m.put("scanId", scanId);
        m.put("eventId", "demo");
        m.put("participantId", participant);
        m.put("gateId", gate);
        m.put("timestamp", at.toString());
        m.put("method", "qr_scan");
        m.put("provisional", provisional);
        probe.publish("headcount/local/demo/gates/" + gate + "/scans", JSON.std.asBytes(m));
        return scanId;
    }

    private static Map<String, Map<String, Object>> awaitDecisions(MqttProbe probe, int n) throws Exception {
        await(() -> probe.received.size() >= n, n + " decisions");
        Map<String, Map<String, Object>> byScan = new LinkedHashMap<>();
        for (var m : probe.received) {
            Map<String, Object> d = JSON.std.mapFrom(m.payload());
            byScan.put((String) d.get("scanId"), d);
        }
        return byScan;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> gate(DynamoStatisticsView view, String gate) {
        var snapshot = view.snapshot("demo");
        if (snapshot.isEmpty()) return Map.of();
        return (Map<String, Object>) ((Map<?, ?>) snapshot.get().get("gates")).get(gate);
    }

    private static Map<?, ?> health(DynamoStatisticsView view, String gate) {
        return (Map<?, ?>) gate(view, gate).getOrDefault("health", Map.of());
    }

    /** A gate's counts since the start, by kind. */
    private static Map<String, Long> mismatches(DynamoStatisticsView view, String gate) {
        Map<?, ?> m = (Map<?, ?>) gate(view, gate).get("edgeMismatches");
        Map<String, Long> counts = new LinkedHashMap<>(Map.of(REFUSED_LET_IN, 0L, ACCEPTED_KEPT_OUT, 0L, "total", 0L));
        if (m != null) counts.keySet().forEach(k -> counts.put(k, ((Number) m.get(k)).longValue()));
        return counts;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> edgeAlerts(Map<String, Object> snapshot) {
        return ((List<Map<String, Object>>) snapshot.get("alerts")).stream()
                .filter(a -> "edge_mismatch".equals(a.get("type"))).toList();
    }

    /** Every record of every shard of a stream, from its start. */
    private static Map<String, List<Record>> read(KinesisClient kinesis, String stream) {
        Map<String, List<Record>> byShard = new LinkedHashMap<>();
        for (var shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            List<Record> records = new ArrayList<>();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String from = iterator;
                var page = kinesis.getRecords(b -> b.shardIterator(from));
                records.addAll(page.records());
                if (page.records().isEmpty() && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0)) break;
                iterator = page.nextShardIterator();
            }
            byShard.put(shard.shardId(), records);
        }
        return byShard;
    }

    /** The records as Lambda hands them to the function: the same shard and sequence numbers. */
    private static KinesisEvent event(String shardId, List<Record> records) {
        List<KinesisEvent.KinesisEventRecord> out = new ArrayList<>();
        for (Record r : records) {
            var kinesis = new KinesisEvent.Record();
            kinesis.setData(java.nio.ByteBuffer.wrap(r.data().asByteArray()));
            kinesis.setPartitionKey(r.partitionKey());
            kinesis.setSequenceNumber(r.sequenceNumber());
            kinesis.setApproximateArrivalTimestamp(Date.from(r.approximateArrivalTimestamp()));
            var record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID(shardId + ":" + r.sequenceNumber());
            out.add(record);
        }
        var event = new KinesisEvent();
        event.setRecords(out);
        return event;
    }
}
