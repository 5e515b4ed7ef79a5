package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.device.BrokerConnection;
import com.headcount.device.Direction;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart in the middle of a rush, with the gates going on as gates do (queueing on disk while the broker is away):
 * every scan is decided, and each gate is told each of its scans' decisions exactly once: nothing lost at the stop,
 * nothing sent again by the next start (the mappings resume from their checkpoints instead of re-reading the streams).
 */
class LocalStackRestartTest {

    private static final List<String> GATES = List.of("north", "south", "east", "vip");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path data;

    @Test
    void a_restart_mid_stream_tells_each_gate_each_decision_exactly_once() throws Exception {
        StackOptions options = options(freePort());
        Map<String, AtomicInteger> decisionsPerScan = new ConcurrentHashMap<>();
        Set<String> made = ConcurrentHashMap.newKeySet();
        AtomicBoolean scanning = new AtomicBoolean(true);
        List<GateClient> gates = new ArrayList<>();
        List<Thread> players = new ArrayList<>();
        LocalStack stack = LocalStack.start(options, quiet());
        try {
            for (String gateId : GATES) {
                GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", options.port(
                                StackOptions.Service.MQTT), "restart-" + gateId),
                                GateTopics.local(EventLoader.DEMO_EVENT, gateId), data.resolve("gates").resolve(gateId))
                        .withReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500));
                GateClient gate = new GateClient(config, (decision, timing) ->
                        decisionsPerScan.computeIfAbsent(decision.scanId(), k -> new AtomicInteger()).incrementAndGet());
                gate.start();
                gates.add(gate);
            }
            AtomicInteger participant = new AtomicInteger(1);
            for (GateClient gate : gates) {
                players.add(Thread.ofPlatform().start(() -> {
                    String gateId = gate.config().topics().gateId();
                    while (scanning.get()) {
                        // each scan a participant of its own: every decision is a first entry, none a duplicate
                        String p = String.format("P-%05d", participant.getAndIncrement() % 1000 + 1);
                        try {
                            made.add(gate.submit(Scan.now(Clock.systemUTC(), EventLoader.DEMO_EVENT, gateId, p,
                                    ScanMethod.QR_SCAN, Direction.ENTRY)).scanId());
                            Thread.sleep(40);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            awaitUntil(() -> decisionsPerScan.size() >= 100, () -> "decisions flowing before the restart");

            stack.close();
            int madeAtTheStop = made.size();
            stack = LocalStack.start(options, quiet());
            awaitUntil(() -> made.size() > madeAtTheStop + 100, () -> "scans made after the restart");
        } finally {
            scanning.set(false);
            for (Thread player : players) player.join();
        }
        try {
            awaitUntil(() -> gates.stream().allMatch(g -> g.queuedScans() == 0), () -> "gates' queues drained");
            awaitUntil(() -> decisionsPerScan.keySet().containsAll(made),
                    () -> (made.size() - decisionsPerScan.size()) + " scans still without a decision");
            stack.awaitCaughtUp(WAIT);
            // a decision told twice would be published before the mappings catch up; one more round trip for it to land
            Thread.sleep(1000);
        } finally {
            for (GateClient gate : gates) gate.close();
            stack.close();
        }

        var toldTwice = decisionsPerScan.entrySet().stream().filter(e -> e.getValue().get() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
        assertEquals(0, toldTwice.size(), () -> toldTwice.size() + " scans' decisions told more than once, e.g. "
                + toldTwice.entrySet().stream().limit(3).toList());
        assertEquals(made, decisionsPerScan.keySet(), "every scan decided, no decision for another scan");
        assertTrue(made.size() > 200, "scans on both sides of the restart: " + made.size());
        assertEquals(0, gates.stream().mapToLong(GateClient::foreignDecisions).sum());
    }

    private StackOptions options(int mqttPort) {
        List<String> args = new ArrayList<>(List.of("--data", data.resolve("stack").toString(), "--no-simulator"));
        for (StackOptions.Service service : StackOptions.Service.values()) {
            args.add(service.flag);
            args.add(service == StackOptions.Service.MQTT ? Integer.toString(mqttPort) : "0");
        }
        return StackOptions.parse(args, Map.of(), data);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    /** The gates must find the broker on the same port after the restart, as they would at a venue. */
    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition,
                                   java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + WAIT.toSeconds() + " s still not: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
