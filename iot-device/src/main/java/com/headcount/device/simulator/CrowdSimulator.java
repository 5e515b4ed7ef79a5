package com.headcount.device.simulator;

import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.LatencyStats;
import com.headcount.device.ScanTiming;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.GateAnswer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a {@link CrowdScenario} through real gates: one {@link GateClient} per gate against an MQTT broker, each scan
 * submitted when its share of the (compressed) replay comes, the offline gate's scans held in its disk queue until it
 * reconnects. Collects the decisions the gates are told and their scan-to-decision times.
 */
public final class CrowdSimulator {

    /**
     * What the gates saw.
     *
     * @param answers     each scan's answer on its gate, at once (provisional, or none without an allow-list)
     * @param corrections the cloud's decisions that differed from the gate's answer, as the gates showed them
     * @param backlog     the offline gate's return: its backlog and how long until the cloud had decided all of it
     */
    public record Result(GroundTruth groundTruth, Map<String, Decision> decisions, LatencyStats scanToDecision,
                         LatencyStats queueWait, int scansSubmitted, boolean complete, Map<String, GateAnswer> answers,
                         List<Correction> corrections, Optional<Backlog> backlog) {

        /** Counted from the decisions the gates received (the last one per scan id). */
        public Tally decisionsTally() {
            return Tally.of(decisions.values().stream()
                    .map(d -> Map.entry(d.outcome(), d.reason() == null ? "" : d.reason())).toList());
        }
    }

    /**
     * The offline gate's backlog after it came back.
     *
     * @param scans          scans it made while offline
     * @param firstDecision  from its reconnect (the network back) to the first of their decisions at the gate
     * @param lastDecision   from its reconnect to the last of them: the time an operator waits for the backlog to clear
     */
    public record Backlog(String gateId, int scans, Duration firstDecision, Duration lastDecision) {

        public double decisionsPerSecond() {
            return scans / Math.max(1e-9, lastDecision.toNanos() / 1e9);
        }
    }

    /** Something done when the replay reaches an event time, e.g. an organiser's change mid-event. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private record Scheduled(Instant eventTime, Action action) {}

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
    private final Map<String, GateAnswer> answers = new ConcurrentHashMap<>();
    private final List<Correction> corrections = new CopyOnWriteArrayList<>();
    private final Map<String, Long> decidedAtNanos = new ConcurrentHashMap<>();
    private final Map<String, List<String>> madeOffline = new ConcurrentHashMap<>();
    private final Map<String, Long> reconnectedAtNanos = new ConcurrentHashMap<>();
    private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

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

    /** Runs {@code action} when the replay reaches {@code eventTime}, beside the gates (before {@link #run}). */
    public CrowdSimulator at(Instant eventTime, Action action) {
        scheduled.add(new Scheduled(eventTime, action));
        return this;
    }

    /** Plays the scenario and waits (up to {@code decisionTimeout} after the last scan) for every decision. */
    public Result run(Duration decisionTimeout) throws IOException, InterruptedException {
        return run(decisionTimeout, GroundTruth.of(scenario));
    }

    /** The same, judged against a ground truth of the caller's (one that knows of the scheduled changes). */
    public Result run(Duration decisionTimeout, GroundTruth truth) throws IOException, InterruptedException {
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
            awaitAllowLists(Duration.ofSeconds(60));
            long startNanos = System.nanoTime();
            for (Scheduled change : scheduled) {
                players.add(Thread.ofVirtual().name("change-at-" + change.eventTime()).start(() -> {
                    try {
                        Thread.sleep(Duration.ofNanos(Math.max(0, dueNanos(change.eventTime(), startNanos, spanMillis)
                                - System.nanoTime())));
                        change.action().run();
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
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
        return new Result(truth, Map.copyOf(decisions), latency, queueWait, submitted.get(), complete, Map.copyOf(answers),
                List.copyOf(corrections), backlog());
    }

    /**
     * Each gate asks for its allow-list as it connects: played before they hold it, the first scans would get no
     * answer on the gate, which is not what a gate that was set up the day before does.
     */
    private void awaitAllowLists(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline
                && !gates.values().stream().allMatch(g -> g.isConnected() && g.edge().store().list().isPresent())) {
            Thread.sleep(50);
        }
        List<String> without = gates.entrySet().stream()
                .filter(g -> !g.getValue().isConnected() || g.getValue().edge().store().list().isEmpty())
                .map(Map.Entry::getKey).sorted().toList();
        if (!without.isEmpty()) {
            // the run goes on (those gates answer "check by hand" until their list comes), but not silently
            System.getLogger(CrowdSimulator.class.getName()).log(System.Logger.Level.WARNING,
                    "gates without an allow-list after " + timeout.toSeconds() + " s, starting anyway: " + without);
        }
    }

    private long dueNanos(Instant eventTime, long startNanos, long spanMillis) {
        long offsetMillis = Duration.between(scenario.firstScan(), eventTime).toMillis();
        return startNanos + (long) ((double) offsetMillis / spanMillis * playFor.toNanos());
    }

    private Optional<Backlog> backlog() {
        for (var entry : madeOffline.entrySet()) {
            Long back = reconnectedAtNanos.get(entry.getKey());
            List<Long> arrivals = entry.getValue().stream().map(decidedAtNanos::get).toList();
            if (back == null || arrivals.isEmpty() || arrivals.contains(null)) continue;
            long first = arrivals.stream().mapToLong(Long::longValue).min().orElseThrow();
            long last = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow();
            return Optional.of(new Backlog(entry.getKey(), arrivals.size(), Duration.ofNanos(first - back),
                    Duration.ofNanos(last - back)));
        }
        return Optional.empty();
    }

    private void play(String gateId, List<PlannedScan> scans, long startNanos, long spanMillis) throws Exception {
        boolean offline = false;
        for (PlannedScan planned : scans) {
            long wait = dueNanos(planned.scan().timestamp().toInstant(), startNanos, spanMillis) - System.nanoTime();
            if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
            if (planned.whileGateOffline() && !offline) {
                goOffline(gateId);
                offline = true;
            } else if (!planned.whileGateOffline() && offline) {
                reconnectedAtNanos.put(gateId, System.nanoTime());
                gates.get(gateId).start(); // back: the backlog goes out first, oldest first
                offline = false;
            }
            answers.put(planned.scan().scanId(), gates.get(gateId).answer(planned.scan()));
            if (offline) madeOffline.computeIfAbsent(gateId, g -> new CopyOnWriteArrayList<>()).add(planned.scan().scanId());
            submittedByGate.computeIfAbsent(gateId, g -> new AtomicInteger()).incrementAndGet();
            submitted.incrementAndGet();
        }
        if (offline) {
            reconnectedAtNanos.put(gateId, System.nanoTime());
            gates.get(gateId).start();
        }
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
        return new GateClient(config, new com.headcount.device.DecisionListener() {
            @Override
            public void onDecision(Decision decision, Optional<ScanTiming> wait) {
                decidedAtNanos.putIfAbsent(decision.scanId(), System.nanoTime());
                decisions.put(decision.scanId(), decision);
                wait.ifPresent(timing -> {
                    latency.record(timing.scanToDecision());
                    queueWait.record(timing.queueWait());
                });
            }

            @Override
            public void onCorrection(Correction correction) {
                corrections.add(correction);
            }
        });
    }

    private int queued() {
        return gates.values().stream().mapToInt(GateClient::queuedScans).sum();
    }
}
