package com.headcount.bench.load;

import com.headcount.device.BrokerConnection;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Headcount's own gate client, one per gate, each with its disk queue: what a venue runs. */
final class GatePublishers implements Publishers {

    private final List<GateClient> gates = new ArrayList<>();
    private final int maxInFlight;

    GatePublishers(BenchEvent event, int mqttPort, Path queues, int maxInFlight, Tracker tracker) throws Exception {
        this.maxInFlight = maxInFlight;
        for (String gateId : event.gateIds()) {
            GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", mqttPort,
                            "bench-" + event.eventId() + "-" + gateId), GateTopics.local(event.eventId(), gateId),
                            queues.resolve(gateId))
                    .withReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(2)).withMaxInFlight(maxInFlight);
            GateClient gate = new GateClient(config, (decision, timing) -> tracker.decided(decision,
                    timing.map(t -> t.scanToDecision().toNanos()).orElse(-1L),
                    timing.map(t -> t.queueWait().toNanos()).orElse(-1L)));
            gate.start();
            gates.add(gate);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!gates.stream().allMatch(GateClient::isConnected)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gates did not connect to port " + mqttPort);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void send(int gate, Scan scan, boolean measure) throws Exception {
        gates.get(gate).submit(scan);
    }

    @Override
    public long queued() {
        return gates.stream().mapToLong(GateClient::queuedScans).sum();
    }

    @Override
    public List<Long> pids() {
        return List.of(ProcessHandle.current().pid());
    }

    @Override
    public String describe() {
        return gates.size() + " Headcount gate clients (disk queue, up to " + maxInFlight + " in flight)";
    }

    long foreignDecisions() {
        return gates.stream().mapToLong(GateClient::foreignDecisions).sum();
    }

    @Override
    public void close() throws Exception {
        for (GateClient gate : gates) {
            gate.close();
        }
    }
}
