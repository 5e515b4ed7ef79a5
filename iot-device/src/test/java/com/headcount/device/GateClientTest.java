package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate against a real MQTT 5 broker (embedded HiveMQ CE) over plain TCP. */
class GateClientTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String EVENT = "evt-2026-summit";
    private static final AtomicInteger GATES = new AtomicInteger();
    /** Well before the test runs, so a resent scan visibly keeps the time it was made, not the time it was sent. */
    private static final OffsetDateTime DOORS_OPEN = OffsetDateTime.parse("2026-11-26T08:30:00.250+01:00");

    /** One broker for the class: HiveMQ takes seconds to start and stop. Each test has its own gate, so its own topics. */
    @TempDir
    static Path brokerFolder;
    private static EmbeddedBroker broker;

    @TempDir
    Path folder;
    private String gateId;
    private GateTopics topics;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Decision> shown = new CopyOnWriteArrayList<>();
    private final List<Optional<ScanTiming>> waits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedBroker(brokerFolder);
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void newGate() throws Exception {
        gateId = "gate-north-" + GATES.incrementAndGet();
        topics = GateTopics.local(EVENT, gateId);
        if (!broker.running()) {
            broker.start(); // a failed restart test must not fail the tests after it
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void publishes_each_scan_as_the_same_json_on_the_gate_scans_topic() throws Exception {
        TestMqttClient backend = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> backend.subscriptions.get() == 1, () -> "backend subscribed");
        GateClient gate = open(gate());
        gate.start();

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(json(gate.submit(scan(i))));
        }

        Await.until(WAIT, () -> backend.received.size() >= sent.size(), () -> "5 scans received, got " + backend.received);
        assertEquals(sent, backend.received);
        Await.until(WAIT, () -> gate.queuedScans() == 0, () -> "queue emptied after PUBACKs");
    }

    @Test
    void scans_made_while_the_broker_is_down_survive_a_gate_restart_and_arrive_in_order() throws Exception {
        Path queue = folder.resolve("queue");
        TestMqttClient backend = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> backend.subscriptions.get() == 1, () -> "backend subscribed");
        GateClient firstRun = gate(queue);
        firstRun.start();
        List<String> sent = new ArrayList<>();
        sent.add(json(firstRun.submit(scan(0))));
        Await.until(WAIT, () -> backend.received.size() == 1, () -> "the scan made while online arrives");

        broker.stop();
        Await.until(WAIT, () -> !firstRun.isConnected(), () -> "gate notices the broker is gone");
        for (int i = 1; i <= 6; i++) {
            sent.add(json(firstRun.submit(scan(i))));
        }
        assertEquals(6, firstRun.queuedScans());
        assertEquals(6, scanFilesIn(queue), "queued on disk, not only in memory");
        firstRun.close();

        GateClient secondRun = open(gate(queue));
        assertEquals(6, secondRun.queuedScans(), "the restarted gate finds what the first run could not send");
        secondRun.start();
        broker.start();
        // The backend reconnects by itself; until it has resubscribed, scans would find nobody listening.
        Await.until(WAIT, () -> backend.subscriptions.get() == 2, () -> "backend subscribed again");
        Await.until(WAIT, secondRun::isConnected, () -> "gate reconnected");

        Await.until(WAIT, () -> secondRun.queuedScans() == 0, () -> "queue drained, " + secondRun.queuedScans() + " left");
        Await.until(WAIT, () -> backend.received.size() >= sent.size(), () -> "all 7 scans received, got " + backend.received);
        assertEquals(sent, backend.received, "every scan once, in the order made, with its original timestamp");
        assertEquals(0, scanFilesIn(queue));
    }

    @Test
    void shows_decisions_and_times_scan_to_decision() throws Exception {
        TestMqttClient backend = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> backend.subscriptions.get() == 1, () -> "backend subscribed");
        GateClient gate = open(gate());
        gate.start();
        Await.until(WAIT, gate::isConnected, () -> "gate connected and subscribed to its decisions");

        Scan accepted = gate.submit(scan(0));
        Scan duplicate = gate.submit(scan(1));
        Await.until(WAIT, () -> backend.received.size() == 2, () -> "both scans reach the backend");
        backend.publish(topics.decisions(), """
                {"scanId":"%s","outcome":"accepted","decidedAt":"2026-11-26T08:30:01.000Z"}""".formatted(accepted.scanId()));
        backend.publish(topics.decisions(), """
                {"scanId":"%s","outcome":"duplicate","firstScanId":"%s","firstScannedAt":"%s","decidedAt":"2026-11-26T08:30:02.000Z"}"""
                .formatted(duplicate.scanId(), accepted.scanId(), accepted.timestamp()));

        Await.until(WAIT, () -> shown.size() == 2, () -> "two decisions shown, got " + shown);
        assertEquals(accepted.scanId(), shown.get(0).scanId());
        assertTrue(shown.get(0).accepted());
        assertEquals("duplicate", shown.get(1).outcome());
        assertEquals(accepted.scanId(), shown.get(1).firstScanId());
        assertTrue(waits.stream().allMatch(wait -> wait.isPresent() && !wait.get().queueWait().isNegative()
                && wait.get().scanToDecision().compareTo(wait.get().queueWait()) >= 0), waits::toString);
        assertEquals(2, gate.scanToDecision().count());
        assertTrue(gate.scanToDecision().p95().compareTo(gate.scanToDecision().median()) >= 0);
        assertTrue(gate.scanToDecision().median().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void a_burst_of_scans_goes_out_pipelined_and_arrives_once_each_in_the_order_made() throws Exception {
        TestMqttClient backend = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> backend.subscriptions.get() == 1, () -> "backend subscribed");
        GateClient gate = open(gate());
        gate.start();
        Await.until(WAIT, gate::isConnected, () -> "gate connected");

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(json(gate.submit(scan(i))));
        }

        Await.until(WAIT, () -> backend.received.size() >= sent.size(), () -> "300 scans received, got " + backend.received.size());
        assertEquals(sent, backend.received);
        Await.until(WAIT, () -> gate.queuedScans() == 0, () -> "queue emptied after PUBACKs");
    }

    @Test
    void a_decision_for_a_scan_this_gate_did_not_send_is_ignored_and_counted() throws Exception {
        TestMqttClient backend = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> backend.subscriptions.get() == 1, () -> "backend subscribed");
        GateClient gate = open(gate());
        gate.start();
        Await.until(WAIT, gate::isConnected, () -> "gate connected and subscribed to its decisions");
        Scan mine = gate.submit(scan(0));
        Await.until(WAIT, () -> backend.received.size() == 1, () -> "the scan reaches the backend");

        backend.publish(topics.decisions(), """
                {"scanId":"someone-elses-scan","outcome":"accepted","decidedAt":"2026-11-26T08:30:01.000Z"}""");
        backend.publish(topics.decisions(), """
                {"scanId":"%s","outcome":"rejected","reason":"participant_not_found","decidedAt":"2026-11-26T08:30:02.000Z"}"""
                .formatted(mine.scanId()));

        Await.until(WAIT, () -> !shown.isEmpty(), () -> "the gate's own decision shown");
        Await.until(WAIT, () -> gate.foreignDecisions() == 1, () -> "the other decision counted as ignored");
        assertEquals(List.of(mine.scanId()), shown.stream().map(Decision::scanId).toList(), "only its own, no green light");
    }

    @Test
    void says_it_is_there_on_its_status_topic_as_it_connects_and_says_goodbye_when_closed() throws Exception {
        TestMqttClient backend = open(new TestMqttClient(broker.port(), topics.status()));
        Await.until(WAIT, () -> backend.subscriptions.get() == 1, () -> "backend subscribed");
        GateClient gate = gate();
        gate.submit(Scan.now(java.time.Clock.fixed(DOORS_OPEN.toInstant(), DOORS_OPEN.getOffset()), EVENT, gateId,
                "P-1", ScanMethod.QR_SCAN, Direction.ENTRY));
        gate.start();
        Await.until(WAIT, () -> !backend.received.isEmpty(), () -> "a heartbeat on " + topics.status());
        var hello = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(backend.received.get(0));
        assertEquals(EVENT, hello.get("eventId"));
        assertEquals(gateId, hello.get("gateId"));
        assertEquals(true, hello.get("connected"));
        assertTrue(hello.get("version").toString().startsWith("headcount-gate/"), hello.toString());
        assertTrue(java.time.Duration.between(java.time.Instant.parse(hello.get("sentAt").toString()),
                java.time.Instant.now()).abs().toSeconds() < 60, "sentAt is the gate's clock: " + hello);
        // the scan made before it connected may or may not be out by then; if it is waiting, its time is shown
        if (((Number) hello.get("queueLength")).intValue() == 1) {
            assertEquals(DOORS_OPEN.toString(), OffsetDateTime.parse(hello.get("oldestQueuedAt").toString()).toString());
        }
        int before = backend.received.size();
        gate.close();
        Await.until(WAIT, () -> backend.received.size() > before, () -> "a goodbye");
        var goodbye = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(backend.received.get(backend.received.size() - 1));
        assertEquals(false, goodbye.get("connected"));
    }

    private GateClient gate() throws Exception {
        return gate(folder.resolve("queue"));
    }

    private GateClient gate(Path queue) throws Exception {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", broker.port(), gateId), topics, queue)
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500));
        return new GateClient(config, (decision, wait) -> {
            waits.add(wait);
            shown.add(decision);
        });
    }

    private Scan scan(int i) {
        return new Scan(gateId + "-scan-" + i, EVENT, "participant-" + i, gateId, DOORS_OPEN.plusSeconds(i), ScanMethod.QR_SCAN,
                i % 2 == 0 ? Direction.ENTRY : null, null, null);
    }

    private static String json(Scan scan) {
        return new String(scan.toJson(), StandardCharsets.UTF_8);
    }

    private <T extends AutoCloseable> T open(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static long scanFilesIn(Path queue) throws Exception {
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(file -> file.toString().endsWith(".json")).count();
        }
    }
}
