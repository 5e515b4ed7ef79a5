package com.headcount.bench.edge;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.bench.load.StackProcess;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.DecisionListener;
import com.headcount.device.Direction;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import com.headcount.device.ScanTiming;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.GateAnswer;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.stack.StackOptions.Service;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@code bin/bench edge --stack yes}: how long the cloud's final decision takes to reach the gate, on a running local
 * stack (its own JVM: broker, topic rule, Kinesis, IngestFunction behind its event source mapping, the decision back
 * over MQTT). Timed from the moment the gate takes the scan (the call that answers it provisionally) to the moment the
 * gate holds the cloud's decision for it on its decisions topic. Then an offline gate's backlog: from its reconnect to
 * the moment its last queued scan has its final decision, which is what an operator watches after the network returns.
 * The gates are iot-device's {@link GateClient}, with their allow-lists from the stack.
 */
final class FinalDecisions {

    private static final String ONLINE = "gate-%02d";
    private static final String BACKLOG = "backlog";

    private final int participants;
    private final int rate;
    private final int gates;
    private final int scans;
    private final int warmup;
    private final int backlog;
    private final String eventId = "edge-" + System.currentTimeMillis();
    private final Map<String, Long> takenAt = new ConcurrentHashMap<>();
    private final Map<String, Long> decidedAt = new ConcurrentHashMap<>();
    private final AtomicLong corrections = new AtomicLong();
    private final AtomicLong decisions = new AtomicLong();

    FinalDecisions(int participants, int rate, int gates, int scans, int warmup, int backlog) {
        this.participants = participants;
        this.rate = rate;
        this.gates = gates;
        this.scans = scans;
        this.warmup = warmup;
        this.backlog = backlog;
    }

    int run(PrintStream out) throws Exception {
        Path data = Files.createTempDirectory("headcount-bench-edge-stack");
        try {
            return run(data, out);
        } finally {
            // a stack leaves its emulators' files and logs behind: a shared machine's /tmp must not collect them
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private int run(Path data, PrintStream out) throws Exception {
        try (StackProcess stack = StackProcess.start(data, KinesisEmulator.configured(), StackProcess.freePorts(),
                List.of(), List.of())) {
            List<String> gateIds = new ArrayList<>(IntStream.rangeClosed(1, gates).mapToObj(ONLINE::formatted).toList());
            gateIds.add(BACKLOG);
            load(stack, gateIds);

            List<GateClient> online = new ArrayList<>();
            try {
                for (int g = 1; g <= gates; g++) online.add(open(stack, data, ONLINE.formatted(g), true));
                // the gate's list on its disk before it loses the network, as after a day's set-up
                open(stack, data, BACKLOG, true).close();
                List<Thread> players = new ArrayList<>();
                List<List<String>> measured = new ArrayList<>();
                for (GateClient gate : online) {
                    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
                    measured.add(ids);
                    players.add(Thread.ofPlatform().name("bench-" + gate.config().topics().gateId()).start(() ->
                            play(gate, warmup + scans, ids)));
                }
                for (Thread player : players) player.join();
                List<String> timed = measured.stream().flatMap(ids -> ids.subList(Math.min(warmup, ids.size()),
                        ids.size()).stream()).toList();
                awaitDecided(timed, Duration.ofMinutes(5));
                double[] millis = timed.stream().filter(decidedAt::containsKey)
                        .mapToDouble(id -> (decidedAt.get(id) - takenAt.get(id)) / 1e6).sorted().toArray();
                long onlineCorrections = corrections.get();

                out.println();
                out.printf("| final decision at the gate, local stack, %d gate%s at %d scans/s%s, %d scans after %d of "
                                + "warm-up | p50 | p99 | max | decided |%n", gates, gates == 1 ? "" : "s", rate,
                        gates == 1 ? "" : " each", timed.size(),
                        warmup * gates);
                out.println("|---|---|---|---|---|");
                out.printf("| from the scan taken to the cloud's decision on the gate's decisions topic | %.0f ms | %.0f ms "
                        + "| %.0f ms | %d of %d |%n", pct(millis, 50), pct(millis, 99), millis.length == 0 ? 0 : millis[millis.length - 1],
                        millis.length, timed.size());
                for (GateClient gate : online) {
                    out.printf("| of which in %s's own queue (its queue wait, warm-up included) | %d ms | %d ms | | |%n",
                            gate.config().topics().gateId(), gate.queueWait().percentile(50).toMillis(),
                            gate.queueWait().percentile(99).toMillis());
                }
                out.printf("corrections shown (the cloud differing from the gates' answers): %d%n", onlineCorrections);
                for (GateClient gate : online) gate.close();
                online.clear();

                // the gate that lost the network: it answers and queues, then reconnects
                GateClient away = open(stack, data, BACKLOG, false);
                List<String> queued = java.util.Collections.synchronizedList(new ArrayList<>());
                play(away, backlog, queued);
                int onDisk = away.queuedScans();
                long back = System.nanoTime();
                away.start();
                awaitDecided(queued, Duration.ofMinutes(15));
                long[] arrivals = queued.stream().filter(decidedAt::containsKey).mapToLong(decidedAt::get).sorted().toArray();
                away.close();
                out.println();
                out.printf("| an offline gate's backlog of %d scans (%d on its disk), from its reconnect | first final "
                        + "decision | all final decisions | decisions/s |%n", queued.size(), onDisk);
                out.println("|---|---|---|---|");
                if (arrivals.length == queued.size()) {
                    double all = (arrivals[arrivals.length - 1] - back) / 1e9;
                    out.printf("| reconnect to drained | %.2f s | %.1f s | %.1f |%n", (arrivals[0] - back) / 1e9, all,
                            queued.size() / all);
                } else {
                    out.printf("| reconnect to drained | | NOT DRAINED: %d of %d decided | |%n", arrivals.length, queued.size());
                }
                out.printf("corrections shown at the backlog gate: %d; decisions received in all: %d%n",
                        corrections.get() - onlineCorrections, decisions.get());
                return millis.length == timed.size() && arrivals.length == queued.size() ? 0 : 1;
            } finally {
                for (GateClient gate : online) gate.close();
            }
        }
    }

    /** The event straight into the reference table (its allow-list is built on the first gate's request). */
    private void load(StackProcess stack, List<String> gateIds) {
        try (var dynamo = LocalAws.dynamoDb(stack.dynamoDb())) {
            var reference = new DynamoReferenceData(dynamo, HeadcountSettings.defaults().referenceTable());
            for (String gate : gateIds) reference.save(new Gate(eventId, gate, gate, true, 10_000));
            reference.saveAll(IntStream.rangeClosed(1, participants).mapToObj(i -> new Participant(eventId,
                    "P-%06d".formatted(i), i % 40 == 0 ? "cancelled" : "active")).toList());
            Instant start = Instant.now().minus(Duration.ofHours(1));
            reference.save(new AttendanceEvent(eventId, "Edge " + eventId, start, start.plus(Duration.ofDays(1)),
                    ZoneId.of("UTC"), AttendanceEvent.DEFAULT_CLOCK_SKEW_TOLERANCE,
                    AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD, AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE));
        }
    }

    /** A gate of the stack; started, it is back only once connected and holding its allow-list. */
    private GateClient open(StackProcess stack, Path data, String gateId, boolean start) throws Exception {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", stack.port(Service.MQTT),
                        "bench-edge-" + gateId), GateTopics.local(eventId, gateId), data.resolve("gates").resolve(gateId))
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(1));
        GateClient gate = new GateClient(config, new DecisionListener() {
            @Override
            public void onDecision(Decision decision, Optional<ScanTiming> timing) {
                decidedAt.putIfAbsent(decision.scanId(), System.nanoTime());
                decisions.incrementAndGet();
            }

            @Override
            public void onCorrection(Correction correction) {
                corrections.incrementAndGet();
            }
        });
        if (start) {
            gate.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(gate.isConnected() && gate.edge().store().list().isPresent()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (!gate.edge().store().list().isPresent()) {
                gate.close();
                throw new IllegalStateException(gateId + " got no allow-list from the stack in 120 s");
            }
        }
        return gate;
    }

    /** {@code count} scans at the rate (open loop), each timed from the call that takes it. */
    private void play(GateClient gate, int count, List<String> ids) {
        try {
            Random random = new Random(gate.config().topics().gateId().hashCode());
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                next += interval;
                // two in ten are the same few people again: duplicates take their own path to the decision
                String participant = "P-%06d".formatted(1 + random.nextInt(random.nextInt(10) < 2 ? 50 : participants));
                Scan scan = Scan.now(Clock.systemUTC(), eventId, gate.config().topics().gateId(), participant,
                        ScanMethod.QR_SCAN, Direction.ENTRY);
                long t0 = System.nanoTime();
                takenAt.put(scan.scanId(), t0);
                GateAnswer answer = gate.answer(scan);
                if (answer.provisional().isEmpty()) throw new IllegalStateException("not decided: " + answer.describe());
                ids.add(scan.scanId());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitDecided(List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ids.stream().allMatch(decidedAt::containsKey) && System.nanoTime() < deadline) Thread.sleep(20);
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }
}
