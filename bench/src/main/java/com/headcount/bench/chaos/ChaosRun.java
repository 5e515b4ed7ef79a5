package com.headcount.bench.chaos;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.bench.load.Percentiles;
import com.headcount.bench.load.StackProcess;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.simulator.CrowdScenario;
import com.headcount.device.simulator.CrowdSettings;
import com.headcount.device.simulator.GateSpec;
import com.headcount.device.simulator.PlannedScan;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.FaultHook;
import com.headcount.local.stack.StackOptions.Service;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * One chaos run: the simulator's crowd over 8 gates (one offline for a while, some scans published twice) goes over
 * MQTT through the local stack, in a JVM of its own with {@link ChaosHook}, while the faults of {@link Fault} are
 * injected one after another on a schedule, each followed by a quiet stretch. Then {@link ChaosChecks} checks.
 */
public final class ChaosRun {

    public record Settings(int participants, long seed, Duration play, double redeliver, Path data,
                           KinesisEmulator emulator, int stackSeconds) {}

    /** When a fault ran, in both clocks: nanos to compare with scans, millis to print. */
    record Window(Fault fault, long startNanos, long endNanos, long injected, String note) {}

    static final int GATES = 8;
    static final String OFFLINE_GATE = "gate-03";

    private final Settings settings;
    private final PrintStream out;
    private final Path control;
    final Tracker tracker = new Tracker();
    final List<Window> windows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    private final List<EmulatorProcess> replacements = new ArrayList<>();
    /** What outlived a SIGKILLed stack: killed at the end whatever happened, so no run leaves a process behind. */
    private final List<ProcessHandle> orphans = new ArrayList<>();
    private volatile StackProcess stack;
    private Map<Service, Integer> ports;
    private CrowdScenario scenario;
    private AtomicReferenceArray<GateClient> gates;
    private long firstStackStartNanos;

    public ChaosRun(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.control = settings.data().resolve("chaos-control.properties");
    }

    /** Plays the crowd under the schedule, waits for every decision, then checks. */
    public ChaosChecks run() throws Exception {
        Files.createDirectories(settings.data());
        Files.deleteIfExists(control);
        ports = StackProcess.freePorts();
        long began = System.nanoTime();
        stack = startStack();
        firstStackStartNanos = System.nanoTime() - began;
        try {
            Instant now = Instant.now();
            String eventId = "chaos-" + now.toEpochMilli();
            scenario = CrowdScenario.generate(eventId, now, crowd(settings.seed(), settings.participants()));
            try (var dynamo = LocalAws.dynamoDb(stack.dynamoDb())) {
                new EventLoader(dynamo, HeadcountSettings.defaults().referenceTable()).load(scenario);
            }
            out.printf("event %s: %d participants, %d gates (%s offline for a while), %d scans planned over %d s%n",
                    eventId, settings.participants(), GATES, OFFLINE_GATE, scenario.totalScans(), settings.play().toSeconds());
            openGates();
            play();
            out.printf("  all %d scans made (%d publishes); waiting for every decision...%n", tracker.made(),
                    tracker.publishes());
            awaitDecisions();
            var checks = new ChaosChecks(scenario, tracker, windows, stack.dynamoDb(), out);
            checks.run(this::gatesQueued);
            return checks;
        } finally {
            closeGates();
            stack.close();
            for (EmulatorProcess replacement : replacements) replacement.close();
            orphans.forEach(ProcessHandle::destroyForcibly);
        }
    }

    Duration firstStackStart() {
        return Duration.ofNanos(firstStackStartNanos);
    }

    static CrowdSettings crowd(long seed, int participants) {
        List<GateSpec> gates = new ArrayList<>();
        int[] capacity = {40, 30, 30, 25, 20, 20, 12, 6};
        for (int i = 1; i <= GATES; i++) {
            gates.add(new GateSpec(String.format("gate-%02d", i), "Gate " + i, capacity[i - 1]));
        }
        CrowdSettings d = CrowdSettings.defaults(seed, participants);
        return new CrowdSettings(seed, participants, gates, d.attendance(), d.inactiveShare(), d.unknownShare(),
                d.bleRepeats(), d.doubleQr(), d.exits(), OFFLINE_GATE, 0.35, 0.65);
    }

    private StackProcess startStack() throws Exception {
        return StackProcess.start(settings.data(), settings.emulator(), ports,
                List.of("-D" + FaultHook.PROPERTY + "=" + ChaosHook.class.getName(), "-D" + ChaosHook.CONTROL + "=" + control),
                List.of("--clock-seconds", Integer.toString(settings.stackSeconds())));
    }

    // ---- the gates

    private void openGates() throws Exception {
        gates = new AtomicReferenceArray<>(GATES);
        for (int g = 0; g < GATES; g++) {
            GateClient gate = open(scenario.gates().get(g).gateId());
            gate.start();
            gates.set(g, gate);
        }
        await(Duration.ofSeconds(30), "the gates to connect", () -> {
            for (int g = 0; g < GATES; g++) if (!gates.get(g).isConnected()) return false;
            return true;
        });
    }

    private GateClient open(String gateId) throws Exception {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", ports.get(Service.MQTT),
                        "chaos-" + scenario.eventId() + "-" + gateId), GateTopics.local(scenario.eventId(), gateId),
                        settings.data().resolve("gates").resolve(scenario.eventId()).resolve(gateId))
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(1));
        return new GateClient(config, (decision, timing) -> tracker.told(decision));
    }

    private int gatesQueued() {
        int queued = 0;
        for (int g = 0; g < GATES; g++) queued += gates.get(g).queuedScans();
        return queued;
    }

    private void closeGates() {
        if (gates == null) return;
        for (int g = 0; g < GATES; g++) {
            try {
                gates.get(g).close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    // ---- the play

    private void play() throws Exception {
        long start = System.nanoTime() + Duration.ofMillis(200).toNanos();
        long spanMillis = Math.max(1, Duration.between(scenario.firstScan(), scenario.replayEnd()).toMillis());
        List<Thread> players = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int g = 0; g < GATES; g++) {
            int gate = g;
            players.add(Thread.ofPlatform().name("chaos-gate-" + g).start(() -> {
                try {
                    playGate(gate, start, spanMillis);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        Thread faults = Thread.ofPlatform().name("chaos-schedule").start(() -> {
            try {
                schedule(start);
            } catch (Throwable e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        });
        for (Thread player : players) player.join();
        faults.join();
        if (!failures.isEmpty()) throw new IllegalStateException("the run failed", failures.getFirst());
    }

    private void playGate(int g, long start, long spanMillis) throws Exception {
        String gateId = scenario.gates().get(g).gateId();
        Random redeliveries = new Random(settings.seed() * 31 + g);
        boolean offline = false;
        for (PlannedScan planned : scenario.scansByGate().get(gateId)) {
            long offset = Duration.between(scenario.firstScan(), planned.scan().timestamp().toInstant()).toMillis();
            sleepUntil(start + (long) ((double) offset / spanMillis * settings.play().toNanos()));
            if (planned.whileGateOffline() && !offline) {
                goOffline(g);
                offline = true;
            } else if (!planned.whileGateOffline() && offline) {
                gates.get(g).start(); // back: its backlog goes out first, oldest first
                offline = false;
            }
            var scan = planned.scan();
            tracker.made(scan.scanId(), gateId, System.nanoTime(), !offline);
            gates.get(g).submit(scan);
            if (redeliveries.nextDouble() < settings.redeliver()) {
                // the same scan published again, as a gate that lost a PUBACK does
                tracker.published(scan.scanId());
                gates.get(g).submit(scan);
            }
        }
        if (offline) gates.get(g).start();
    }

    /**
     * The gate loses its link after it was told what it had sent (clean session: a decision published while it is
     * away is not kept for it), then queues on disk only until it comes back.
     */
    private void goOffline(int g) throws Exception {
        GateClient online = gates.get(g);
        String gateId = scenario.gates().get(g).gateId();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((online.queuedScans() > 0 || tracker.awaitingDecision(gateId)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        online.close();
        gates.set(g, open(gateId)); // not started: scans only go to its disk queue
    }

    /**
     * Until each publish of each scan had its decision (counts reached), or, when some never will (their decision was
     * published while their gate was not connected), until the stack says it is done: every scan stored, nothing at
     * the gates or the topic rule, the ingest mapping at the end of its stream, and no decision published or told
     * since the previous look a second ago.
     */
    @SuppressWarnings("unchecked")
    private void awaitDecisions() throws InterruptedException {
        long lastTells = -1;
        long lastPublished = -1;
        long lastProgress = System.nanoTime();
        try (var dynamo = LocalAws.dynamoDb(stack.dynamoDb())) {
            while (tracker.tells() < tracker.publishes() || gatesQueued() > 0) {
                long tells = tracker.tells();
                long published = -2;
                boolean ingestAtEnd = false;
                boolean ruleEmpty = false;
                try {
                    Map<String, Object> m = stack.metrics();
                    var ingest = (Map<String, Object>) ((Map<String, Object>) m.get("functions")).get("IngestFunction");
                    ingestAtEnd = ((Number) ingest.get("millisBehindLatest")).longValue() == 0;
                    ruleEmpty = ((Number) m.get("scansWaitingForPut")).longValue() == 0;
                    published = ((Number) m.get("decisionsPublished")).longValue();
                } catch (RuntimeException e) {
                    // the stack busy: look again
                }
                if (tells == lastTells && published == lastPublished && ingestAtEnd && ruleEmpty && gatesQueued() == 0
                        && stored(dynamo) >= tracker.made()) {
                    return;
                }
                if (tells != lastTells) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > Duration.ofMinutes(3).toNanos()) {
                    out.printf("  no decision for 3 minutes: %d scans never told, %d still queued at the gates%n",
                            tracker.untold(), gatesQueued());
                    return;
                }
                lastTells = tells;
                lastPublished = published;
                Thread.sleep(1000);
            }
        }
    }

    /** Items of this event in the scans table (a count, read on the stack's DynamoDB without faults). */
    private long stored(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        long count = 0;
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamo.scan(b -> b.tableName(HeadcountSettings.defaults().scansTable())
                    .select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT)
                    .filterExpression("eventId = :e AND attribute_exists(scannedAt)")
                    .expressionAttributeValues(Map.of(":e",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(scenario.eventId())))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    // ---- the schedule

    private void schedule(long playStart) throws Exception {
        Fault[] faults = Fault.values();
        // the restarts take seconds of their own: leave them room so the last faults still meet scans
        long allowance = Math.min(settings.play().toNanos() / 3, Duration.ofSeconds(25).toNanos());
        long slot = (settings.play().toNanos() - allowance) / (2L * faults.length + 1);
        long previousEnd = playStart;
        for (int i = 0; i < faults.length; i++) {
            long planned = playStart + slot * (2L * i + 1);
            sleepUntil(Math.max(planned, previousEnd + slot));
            Fault fault = faults[i];
            long started = System.nanoTime();
            Properties before = status();
            String note = inject(fault, slot);
            long ended = System.nanoTime();
            long injected = injectedSince(fault, before);
            windows.add(new Window(fault, started, ended, injected, note));
            out.printf("  %-48s %5.1f s%s%n", fault.label, (ended - started) / 1e9, note.isEmpty() ? "" : "  (" + note + ")");
            previousEnd = ended;
        }
    }

    private String inject(Fault fault, long slot) throws Exception {
        switch (fault) {
            case DYNAMO_THROTTLE -> rateFor("dynamo.throttle", "0.05", slot);
            case DYNAMO_500 -> rateFor("dynamo.500", "0.05", slot);
            case KINESIS_READ -> rateFor("kinesis.read", "0.3", slot);
            case KINESIS_WRITE -> rateFor("kinesis.write", "0.1", slot);
            case FUNCTION_CRASH -> {
                List<String> done = new ArrayList<>();
                for (String function : List.of("IngestFunction", "StatsFunction")) {
                    String id = function + "-" + System.nanoTime();
                    writeControl(Map.of("crash.id", id, "crash.function", function, "crash.after", "4"));
                    boolean hit = awaitStatus(Duration.ofSeconds(60), "crash.done", id);
                    writeControl(Map.of());
                    done.add(function + (hit ? " killed" : " NOT killed within 60 s"));
                }
                return String.join(", ", done);
            }
            case BROKER_RESTART -> {
                String id = "restart-" + System.nanoTime();
                writeControl(Map.of("broker.restart", id));
                boolean done = awaitStatus(Duration.ofSeconds(90), "broker.restarted", id);
                writeControl(Map.of());
                String failure = status().getProperty("broker.failure", "");
                if (failure.startsWith(id)) throw new IllegalStateException("the broker did not restart: " + failure);
                return done ? "" : "restart not confirmed within 90 s";
            }
            case STACK_SIGKILL -> {
                return killStack();
            }
            case DYNALITE_RESTART -> {
                killEmulator("dynalite");
                replacements.add(Dynalite.builder().port(ports.get(Service.DYNAMODB))
                        .dataDirectory(settings.data().resolve("dynamodb")).logDirectory(settings.data().resolve("logs")).start());
            }
            case KINESALITE_RESTART -> {
                KinesisEmulator emulator = settings.emulator();
                killEmulator(emulator.label());
                Path folder = settings.data().resolve(emulator == KinesisEmulator.KINESIS_LOCAL ? "kinesis" : emulator.label());
                replacements.add(emulator.start(ports.get(Service.KINESIS), folder, settings.data().resolve("logs")));
            }
        }
        return "";
    }

    /**
     * For a slot, and on until a few errors were injected (a rate needs requests to act on: early in the crowd's
     * curve there are few), at most four slots.
     */
    private void rateFor(String name, String rate, long slot) throws Exception {
        long before = Long.parseLong(status().getProperty("injected." + name, "0"));
        writeControl(Map.of(name, rate));
        long started = System.nanoTime();
        sleepUntil(started + slot);
        while (Long.parseLong(status().getProperty("injected." + name, "0")) - before < MIN_INJECTED
                && System.nanoTime() - started < 4 * slot) {
            Thread.sleep(20);
        }
        writeControl(Map.of());
    }

    static final int MIN_INJECTED = 3;

    /** SIGKILL, then a start on the same data and ports; orphans holding LevelDB locks are killed if they block it. */
    private String killStack() throws Exception {
        List<ProcessHandle> orphans = stack.kill();
        this.orphans.addAll(orphans);
        String note = orphans.size() + " orphan emulator process(es) outlived the stack JVM";
        try {
            stack = startStack();
            return note + "; the restart succeeded with them alive";
        } catch (IllegalStateException e) {
            String log = Files.readString(stack.log());
            boolean locked = log.contains("LOCK") || log.contains("Resource temporarily unavailable")
                    || log.contains("already in use");
            if (orphans.isEmpty() || !locked) throw e;
            for (ProcessHandle orphan : orphans) {
                orphan.destroyForcibly();
                orphan.onExit().get(30, TimeUnit.SECONDS);
            }
            stack = startStack();
            notes.add("the first restart after SIGKILL failed: " + note + " and held the emulators' locks or ports; "
                    + "the bench killed them and the second restart succeeded");
            return note + "; restart refused until the bench killed them";
        }
    }

    @SuppressWarnings("unchecked")
    private void killEmulator(String name) throws Exception {
        var pids = (Map<String, Object>) stack.metrics().get("pids");
        long pid = ((Number) pids.get(name)).longValue();
        var process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " is not running"));
        var tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        for (ProcessHandle p : tree) p.destroyForcibly();
        for (ProcessHandle p : tree) p.onExit().get(30, TimeUnit.SECONDS);
    }

    // ---- the control file the hook reads

    private void writeControl(Map<String, String> values) throws Exception {
        Properties p = new Properties();
        p.putAll(values);
        Path temporary = control.resolveSibling(control.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(temporary)) {
            p.store(w, null);
        }
        Files.move(temporary, control, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Properties status() {
        Properties p = new Properties();
        Path file = control.resolveSibling(control.getFileName() + ".status");
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (Exception e) {
            // not written yet (or being replaced): read as empty
        }
        return p;
    }

    private boolean awaitStatus(Duration timeout, String name, String value) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (value.equals(status().getProperty(name))) return true;
            Thread.sleep(20);
        }
        return false;
    }

    private long injectedSince(Fault fault, Properties before) {
        Properties after = status();
        return switch (fault) {
            case DYNAMO_THROTTLE -> delta(before, after, "injected.dynamo.throttle");
            case DYNAMO_500 -> delta(before, after, "injected.dynamo.500");
            case KINESIS_READ -> delta(before, after, "injected.kinesis.read");
            case KINESIS_WRITE -> delta(before, after, "injected.kinesis.write");
            case FUNCTION_CRASH -> delta(before, after, "injected.crash IngestFunction")
                    + delta(before, after, "injected.crash StatsFunction");
            default -> 1;
        };
    }

    private static long delta(Properties before, Properties after, String name) {
        return Long.parseLong(after.getProperty(name, "0")) - Long.parseLong(before.getProperty(name, "0"));
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
    }

    /** What the gates did and were told, per scan id. */
    static final class Tracker {
        final Map<String, Long> madeAt = new ConcurrentHashMap<>();
        final Map<String, String> gateOf = new ConcurrentHashMap<>();
        final Map<String, Boolean> live = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> publishes = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> tells = new ConcurrentHashMap<>();
        final Map<String, Long> firstTold = new ConcurrentHashMap<>();
        final Map<String, Long> lastTold = new ConcurrentHashMap<>();
        final Map<String, Decision> lastDecision = new ConcurrentHashMap<>();
        final AtomicInteger foreign = new AtomicInteger();
        private final AtomicInteger tellCount = new AtomicInteger();
        private final AtomicInteger publishCount = new AtomicInteger();

        void made(String scanId, String gateId, long nanos, boolean gateOnline) {
            madeAt.put(scanId, nanos);
            gateOf.put(scanId, gateId);
            live.put(scanId, gateOnline);
            published(scanId);
        }

        void published(String scanId) {
            publishes.computeIfAbsent(scanId, k -> new AtomicInteger()).incrementAndGet();
            publishCount.incrementAndGet();
        }

        void told(Decision decision) {
            long now = System.nanoTime();
            if (!madeAt.containsKey(decision.scanId())) {
                foreign.incrementAndGet();
                return;
            }
            tells.computeIfAbsent(decision.scanId(), k -> new AtomicInteger()).incrementAndGet();
            firstTold.putIfAbsent(decision.scanId(), now);
            lastTold.put(decision.scanId(), now);
            lastDecision.put(decision.scanId(), decision);
            tellCount.incrementAndGet();
        }

        boolean awaitingDecision(String gateId) {
            for (var e : gateOf.entrySet()) {
                if (e.getValue().equals(gateId) && !firstTold.containsKey(e.getKey())) return true;
            }
            return false;
        }

        long made() {
            return madeAt.size();
        }

        long publishes() {
            return publishCount.get();
        }

        long tells() {
            return tellCount.get();
        }

        long untold() {
            return madeAt.size() - firstTold.size();
        }

        /** Scan-to-decision of the live scans made in [from, to), from the moment of the scan. */
        Percentiles latency(long from, long to) {
            List<Long> nanos = new ArrayList<>();
            madeAt.forEach((id, made) -> {
                Long told = firstTold.get(id);
                if (made >= from && made < to && live.get(id) && told != null) nanos.add(told - made);
            });
            return Percentiles.of(nanos);
        }
    }
}
