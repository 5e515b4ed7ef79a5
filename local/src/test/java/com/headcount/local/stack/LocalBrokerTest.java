package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.scan.GateMessage;
import com.headcount.adapters.iot.IotGateFeedback;
import com.headcount.core.decision.Outcome;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The IoT Core stand-in: the topic rule inside the broker, and the data plane's Publish API for decisions. */
class LocalBrokerTest {

    private static final String STREAM = "scans-broker-test";

    @TempDir
    static Path folder;
    private static EmulatorProcess kinesisEmulator;
    private static KinesisClient kinesis;
    private static LocalBroker broker;
    private static IotDataPlaneStandIn dataPlane;

    @BeforeAll
    static void start() throws Exception {
        kinesisEmulator = KinesisEmulator.configured().start(0, null, null);
        kinesis = LocalAws.kinesis(kinesisEmulator.endpoint());
        LocalResources.createStream(kinesis, STREAM, 1);
        broker = LocalBroker.start(freePort(), folder.resolve("mqtt"), new TopicRule(GateTopics.LOCAL_STAGE, "", STREAM), kinesis);
        dataPlane = IotDataPlaneStandIn.start(0, broker);
    }

    @AfterAll
    static void stop() throws Exception {
        dataPlane.close();
        broker.close();
        kinesisEmulator.close();
    }

    @Test
    void a_gate_scan_is_on_the_stream_unchanged_with_the_gate_as_partition_key_and_the_real_adapter_tells_the_gate()
            throws Exception {
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", broker.port(), "gate-east"),
                GateTopics.local("evt-1", "east"), folder.resolve("gate-east"));
        try (GateClient gate = new GateClient(config, (decision, wait) -> decisions.add(decision))) {
            gate.start();
            await(gate::isConnected, "gate connected");
            var sent = gate.submit(com.headcount.device.Scan.now(Clock.systemUTC(), "evt-1", "east", "p-7",
                    com.headcount.device.ScanMethod.QR_SCAN, com.headcount.device.Direction.ENTRY));
            await(() -> gate.queuedScans() == 0, "scan acknowledged");

            // acknowledged only after the put: the record is there now
            List<Record> records = all(STREAM);
            assertEquals(1, records.size());
            assertEquals("east", records.get(0).partitionKey());
            // in the rule's envelope: the gate's bytes untouched, and the topic's event and gate beside them
            GateMessage onStream = GateMessage.fromRecord(records.get(0).data().asByteArray());
            assertEquals(new String(sent.toJson(), StandardCharsets.UTF_8), new String(onStream.payload(), StandardCharsets.UTF_8));
            assertEquals("evt-1", onStream.eventId());
            assertEquals("east", onStream.gateId());

            List<String> requests = new CopyOnWriteArrayList<>();
            var clients = LocalAws.clients(kinesisEmulator.endpoint(), kinesisEmulator.endpoint(), new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    var http = context.httpRequest();
                    requests.add(http.method() + " " + http.encodedPath() + "?" + http.encodedQueryParameters().orElse(""));
                }
            });
            var feedback = new IotGateFeedback(clients.iotDataPlane(dataPlane.endpoint()), GateTopics.LOCAL_STAGE, Duration.ofSeconds(5));
            Instant now = Instant.now();
            var scan = new Scan(sent.scanId(), "evt-1", "p-7", "east", now, "Z", ScanMethod.QR_SCAN, Direction.ENTRY,
                    null, Map.of());
            feedback.tell(List.of(Outcome.accepted("shard-1:1", scan, now, now)));

            await(() -> decisions.size() == 1, "decision shown at the gate");
            assertEquals(sent.scanId(), decisions.get(0).scanId());
            assertTrue(decisions.get(0).accepted());
            // what the SDK sends: the topic as one percent-encoded path segment, the QoS as a query parameter
            assertEquals(List.of("POST /topics/headcount%2Flocal%2Fevt-1%2Fgates%2Feast%2Fdecisions?qos=1"), requests);
        }
    }

    private static List<Record> all(String stream) {
        List<Record> records = new ArrayList<>();
        for (var shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            String current = iterator;
            records.addAll(kinesis.getRecords(r -> r.shardIterator(current)).records());
        }
        return records;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(20);
        }
    }

    static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
