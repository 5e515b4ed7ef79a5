package com.headcount.device.simulator;

import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.LatencyStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a {@link CrowdScenario} through real gates: one {@link GateClient} per gate against an MQTT broker, each scan
 * submitted when its share of the (compressed) replay comes, the offline gate's scans held in its disk queue until it
 * reconnects. Collects the decisions the gates are told and their scan-to-decision times.
 */
public final class CrowdSimulator {

    /** What the gates saw. */
    public record Result(GroundTruth groundTruth, Map<String, Decision> decisions, LatencyStats scanToDecision,
                         LatencyStats queueWait, int scansSubmitted, boolean complete) {

        /** Counted from the decisions the gates received (the last one per scan id). */
        public Tally decisionsTally() {
            return Tally.of(decisions.values().stream()
                    .map(d -> Map.entry(d.outcome(), d.reason() == null ? "" : d.reason())).toList());
        }
    }

    private final CrowdScenario scenario;
    private final String host;
    private final int port;
    private final String stage;
    private final Path queues;
    private final Duration playFor;
    private final ProgressBar progress;
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final LatencyStats latency = new LatencyStats(100_000);
    private final LatencyStats queueWait = new LatencyStats(100_000);
    private final AtomicInteger submitted = new AtomicInteger();
    private final Map<String, GateClient> gates = new ConcurrentHashMap<>();

    /**
     * @param stage   the broker's stage: the gates publish on its topics
     * @param queues  the gates' disk queues go in sub-folders here
     * @param playFor how long the replay takes in real time
     */
    public CrowdSimulator(CrowdScenario scenario, String host, int port, String stage, Path queues, Duration playFor,
                          PrintStream progressTo) {
        this.scenario = scenario;
        this.host = host;
        this.port = port;
        this.stage = stage;
        this.queues = queues;
        this.playFor = playFor;
        this.progress = new ProgressBar(progressTo, scenario.totalScans());
    }

    /** Plays the scenario and waits (up to {@code decisionTimeout} after the last scan) for every decision. */
    public Result run(Duration decisionTimeout) throws IOException, InterruptedException {
        GroundTruth truth = GroundTruth.of(scenario);
        int total = scenario.totalScans();
        long startNanos = System.nanoTime();
        long spanMillis = Math.max(1, Duration.between(scenario.firstScan(), scenario.replayEnd()).toMillis());
        progress.start(() -> new ProgressBar.Snapshot(submitted.get(), decisions.size(), queued()));
        List<Thread> players = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        try {
            for (GateSpec gate : scenario.gates()) {
                GateClient client = open(gate.gateId());
                client.start();
                gates.put(gate.gateId(), client);
            }
            for (GateSpec gate : scenario.gates()) {
                players.add(Thread.ofVirtual().name("gate-" + gate.gateId()).start(() -> {
                    try {
                        play(gate.gateId(), scenario.scansByGate().get(gate.gateId()), startNanos, spanMillis);
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread player : players) player.join();
            if (!failures.isEmpty()) throw new IllegalStateException("a gate failed", failures.getFirst());
            long deadline = System.nanoTime() + decisionTimeout.toNanos();
            while ((queued() > 0 || !truth.byScanId().keySet().stream().allMatch(decisions::containsKey))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            progress.stop();
            for (GateClient client : gates.values()) client.close();
        }
        boolean complete = truth.byScanId().keySet().stream().allMatch(decisions::containsKey);
        return new Result(truth, Map.copyOf(decisions), latency, queueWait, submitted.get(), complete);
    }

    private void play(String gateId, List<PlannedScan> scans, long startNanos, long spanMillis) throws Exception {
        boolean offline = false;
        for (PlannedScan planned : scans) {
            long offsetMillis = Duration.between(scenario.firstScan(), planned.scan().timestamp().toInstant()).toMillis();
            long dueNanos = startNanos + (long) ((double) offsetMillis / spanMillis * playFor.toNanos());
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
            if (planned.whileGateOffline() && !offline) {
                goOffline(gateId);
                offline = true;
            } else if (!planned.whileGateOffline() && offline) {
                gates.get(gateId).start(); // back: the backlog goes out first, oldest first
                offline = false;
            }
            gates.get(gateId).submit(planned.scan());
            submittedByGate.computeIfAbsent(gateId, g -> new AtomicInteger()).incrementAndGet();
            submitted.incrementAndGet();
        }
        if (offline) gates.get(gateId).start();
    }

    /**
     * The gate loses its link. It first finishes what it had sent, so its screen shows every decision it was owed
     * (a gate subscribes with a clean session: decisions for it while it is away are not kept for it).
     */
    private void goOffline(String gateId) throws Exception {
        GateClient online = gates.get(gateId);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((online.queuedScans() > 0 || awaitingDecision(gateId)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        online.close();
        gates.put(gateId, open(gateId)); // not started: scans only go to its disk queue
    }

    private boolean awaitingDecision(String gateId) {
        return scenario.scansByGate().get(gateId).stream()
                .limit(submittedAt(gateId))
                .anyMatch(p -> !decisions.containsKey(p.scan().scanId()));
    }

    private final Map<String, AtomicInteger> submittedByGate = new ConcurrentHashMap<>();

    private long submittedAt(String gateId) {
        return submittedByGate.computeIfAbsent(gateId, g -> new AtomicInteger()).get();
    }

    private GateClient open(String gateId) throws IOException {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker(host, port, "sim-" + scenario.eventId() + "-" + gateId),
                        new GateTopics(stage, scenario.eventId(), gateId, ""), queues.resolve(gateId))
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(2));
        return new GateClient(config, (decision, wait) -> {
            decisions.put(decision.scanId(), decision);
            wait.ifPresent(timing -> {
                latency.record(timing.scanToDecision());
                queueWait.record(timing.queueWait());
            });
        });
    }

    private int queued() {
        return gates.values().stream().mapToInt(GateClient::queuedScans).sum();
    }
}
