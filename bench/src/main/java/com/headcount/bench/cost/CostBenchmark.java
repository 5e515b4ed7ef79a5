package com.headcount.bench.cost;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Outcome;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import com.headcount.device.simulator.CrowdScenario;
import com.headcount.device.simulator.CrowdSettings;
import com.headcount.device.simulator.GroundTruth;
import com.headcount.device.simulator.PlannedScan;
import com.headcount.device.simulator.Tally;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.handlers.StatsWiring;
import com.headcount.handlers.Wiring;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.EventSourceMappingConfiguration;
import com.headcount.local.lambda.InMemoryOnFailureDestination;
import com.headcount.local.lambda.KinesisEventSourceMapping;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.LocalResources;
import com.headcount.local.stack.StoredOutcomes;
import com.headcount.core.time.Sleeper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * {@code bin/bench cost}: what a scan costs. A simulated event (the crowd simulator's scans and ground truth) goes
 * through the real IngestFunction and StatsFunction, behind the local event source mapping runner, on dynalite and a
 * Kinesis emulator; every request of the functions is charged by {@link CapacityMeter}. Then a share of the scans is
 * delivered again (a gate resending), and the same event goes through {@link NaiveDesign}. Prints capacity per scan by
 * outcome, by table and index, and dollars per million scans with {@link Prices}.
 *
 * <p>The scans are written onto the `scans` stream as the IoT topic rule writes them (its envelope, partition key the
 * gate), not sent over MQTT: capacity per scan does not depend on the transport, and the whole stack over MQTT takes
 * about 80 scans/s on a 2-core machine.
 */
public final class CostBenchmark implements Benchmark {

    @Override
    public String name() {
        return "cost";
    }

    @Override
    public String summary() {
        return "capacity and dollars per scan by outcome (ingest, statistics), beside the naive per-scan design";
    }

    @Override
    public String usage() {
        return """
                bin/bench cost [options]
                  --participants N   the simulated event's participants (50000: the standard event)
                  --gates N          gates: the simulator's four (north, south offline through the peak, east, vip)
                                     and N-4 more side doors of 20 scans a minute (12)
                  --seed N           the simulator's seed (1)
                  --shards N         shards of `scans` and `attendance-recorded` (2)
                  --batch N          records per invocation of both functions, as the CDK app's BatchSize (1000)
                  --redeliver N      scans delivered a second time after the run (1000)
                  --naive yes|no     run the naive design on the same event too (yes)
                  --shape-only yes   print the event's shape (scans, peak minute, busiest gate) and stop: no emulators
                  --data DIR         where the emulators keep their data (a new folder under /tmp)""";
    }

    /**
     * What one function cost in time: invocations, wall time inside the handler, and the CPU time of the thread the
     * runner invoked it on (all of its work when it decides one scan at a time).
     */
    static final class Timed implements RequestHandler<KinesisEvent, StreamsEventResponse> {
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        final RequestHandler<KinesisEvent, StreamsEventResponse> function;
        final AtomicLong invocations = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();
        final AtomicLong cpuNanos = new AtomicLong();

        Timed(RequestHandler<KinesisEvent, StreamsEventResponse> function) {
            this.function = function;
        }

        @Override
        public StreamsEventResponse handleRequest(KinesisEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            long start = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            try {
                return function.handleRequest(event, context);
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
                nanos.addAndGet(System.nanoTime() - start);
                invocations.incrementAndGet();
            }
        }
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("participants", "50000");
        defaults.put("seed", "1");
        defaults.put("gates", "12");
        defaults.put("shards", "2");
        defaults.put("batch", "1000");
        defaults.put("redeliver", "1000");
        defaults.put("naive", "yes");
        defaults.put("data", null);
        defaults.put("shape-only", "no");
        Options o = Options.parse(args, defaults);
        int participants = o.integer("participants");
        int shards = o.integer("shards");
        int batch = o.integer("batch");
        int redeliver = o.integer("redeliver");
        boolean naive = o.text("naive").equals("yes");
        KinesisEmulator kinesisEmulator = KinesisEmulator.configured();
        out.printf("bin/bench cost %s%n%s, %d cores, %s, %s%n", String.join(" ", args),
                DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"), kinesisEmulator);

        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String eventId = "cost-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
        CrowdScenario scenario = CrowdScenario.generate(eventId, now, settings(o.integer("seed"), participants, o.integer("gates")));
        GroundTruth truth = GroundTruth.of(scenario);
        Map<String, String> outcomeOf = new java.util.HashMap<>();
        truth.byScanId().forEach((id, e) -> outcomeOf.put(id, e.outcome()));
        Ledger ledger = new Ledger(id -> outcomeOf.getOrDefault(id, "unknown"));
        List<PlannedScan> delivery = deliveryOrder(scenario);
        shape(scenario, delivery, out);
        if (o.text("shape-only").equals("yes")) return 0;
        Path data = o.text("data") == null ? Files.createTempDirectory("headcount-cost-") : Path.of(o.text("data"));
        out.println("emulators' data in " + data);

        try (Dynalite dynalite = Dynalite.builder().dataDirectory(data.resolve("dynamodb")).logDirectory(data.resolve("logs")).start();
             EmulatorProcess kinesisProcess = kinesisEmulator.start(0, data.resolve(kinesisEmulator.label()), data.resolve("logs"))) {
            DynamoDbClient admin = LocalAws.dynamoDb(dynalite.endpoint());
            KinesisClient adminKinesis = LocalAws.kinesis(kinesisProcess.endpoint());
            StatsSettings stats = StatsSettings.from(Map.of());
            HeadcountSettings settings = stats.shared();
            LocalResources.createTables(admin, settings);
            LocalResources.createStream(adminKinesis, LocalResources.SCANS_STREAM, shards);
            LocalResources.createStream(adminKinesis, settings.attendanceRecordedStream(), shards);
            LocalResources.createStream(adminKinesis, stats.statisticsUpdatesStream(), 1);
            new EventLoader(admin, settings.referenceTable()).load(scenario);
            new ParticipantCounts(admin, settings.statisticsTable(), settings.referenceTable()).recount(eventId);
            out.printf("event %s: %d participants, %d gates (%s offline for a while), %d scans: %s%n%n", eventId,
                    participants, scenario.gates().size(), scenario.offlineGateId(), scenario.totalScans(), truth.tally());

            AwsClients ingestClients = LocalAws.clients(dynalite.endpoint(), kinesisProcess.endpoint(),
                    new CapacityMeter("ingest", ledger, admin));
            AwsClients statsClients = LocalAws.clients(dynalite.endpoint(), kinesisProcess.endpoint(),
                    new CapacityMeter("stats", ledger, admin));
            Timed ingest = new Timed(new IngestFunction(Wiring.gatekeeper(ingestClients.dynamoDb(), ingestClients.kinesis(),
                    settings, Clock.systemUTC()), GateFeedback.NONE));
            Timed statistics = new Timed(new StatsFunction(StatsWiring.updater(statsClients.dynamoDb(),
                    statsClients.kinesis(), stats, Clock.systemUTC(), Sleeper.REAL)));
            var onFailure = new InMemoryOnFailureDestination();
            try (var ingestMapping = mapping(adminKinesis, LocalResources.SCANS_STREAM, ingest, batch, onFailure);
                 var statsMapping = mapping(adminKinesis, settings.attendanceRecordedStream(), statistics, batch, onFailure)) {
                long started = System.nanoTime();
                putOnScans(adminKinesis, LocalResources.SCANS_STREAM, delivery, ledger);
                ingestMapping.pollUntilCaughtUp(Duration.ofHours(1));
                double ingestSeconds = (System.nanoTime() - started) / 1e9;
                statsMapping.pollUntilCaughtUp(Duration.ofHours(1));
                out.printf("ingest: %d invocations, %.0f s in the handler (%.0f scans/s end to end); stats: %d invocations, %.0f s%n",
                        ingest.invocations.get(), ingest.nanos.get() / 1e9, delivery.size() / ingestSeconds,
                        statistics.invocations.get(), statistics.nanos.get() / 1e9);

                Map<String, StoredOutcomes.Stored> stored = new StoredOutcomes(admin, settings.scansTable()).of(eventId);
                Tally system = StoredOutcomes.tally(stored);
                boolean exact = system.equals(truth.tally());
                out.println(exact ? "stored outcomes equal the ground truth" : "STORED OUTCOMES DIFFER FROM THE GROUND TRUTH: " + system);
                if (!onFailure.batches().isEmpty()) out.println("FAILED BATCHES: " + onFailure.batches().size());

                Map<Ledger.Line, Ledger.Cost> firstRun = ledger.lines();
                long[] timesBefore = {ingest.invocations.get(), ingest.nanos.get(), statistics.invocations.get(), statistics.nanos.get()};
                ledger.clear();
                ledger.phase("redelivered");
                List<PlannedScan> again = delivery.subList(0, Math.min(redeliver, delivery.size()));
                putOnScans(adminKinesis, LocalResources.SCANS_STREAM, again, null);
                ingestMapping.pollUntilCaughtUp(Duration.ofMinutes(30));
                statsMapping.pollUntilCaughtUp(Duration.ofMinutes(30));
                Map<Ledger.Line, Ledger.Cost> redelivered = ledger.lines();
                ledger.phase(null);
                ledger.clear();
                boolean stillExact = StoredOutcomes.tally(new StoredOutcomes(admin, settings.scansTable()).of(eventId)).equals(truth.tally());
                out.println(stillExact ? "after the redelivery, still equal" : "AFTER THE REDELIVERY THE STORED OUTCOMES DIFFER");

                Report report = new Report(out, truth.tally(), again.size());
                report.cpu(cpuPass(dynalite.endpoint(), kinesisProcess.endpoint(), admin, adminKinesis,
                        Math.min(participants, CPU_PASS_PARTICIPANTS), o.integer("seed") + 1, o.integer("gates"), shards, batch, out));
                var ingestTime = new Report.FunctionTime(timesBefore[0], timesBefore[1] / 1e9);
                var statsTime = new Report.FunctionTime(timesBefore[2], timesBefore[3] / 1e9);
                report.capacity(firstRun, redelivered);
                report.statsPublications(firstRun);
                Report.Dollars ours = report.dollars("Headcount", firstRun, ingestTime, statsTime, statistics.invocations.get());

                if (naive) {
                    NaiveDesign.createTables(admin);
                    AwsClients naiveClients = LocalAws.clients(dynalite.endpoint(), kinesisProcess.endpoint(),
                            new CapacityMeter("naive", ledger, admin));
                    NaiveDesign design = new NaiveDesign(naiveClients.dynamoDb(), settings.referenceTable());
                    ScanParser parser = new ScanParser();
                    List<String> verdicts = new ArrayList<>();
                    long naiveStart = System.nanoTime();
                    for (PlannedScan p : delivery) {
                        ledger.working(p.scan().scanId());
                        var parsed = (ParsedScan.Valid) parser.parse(p.scan().toJson());
                        Outcome decided = design.decide("naive", parsed.scan(), Instant.now());
                        verdicts.add(decided.verdict().wireName() + (decided.reason() == null ? "" : "/" + decided.reason().code()));
                    }
                    ledger.working(null);
                    double naiveSeconds = (System.nanoTime() - naiveStart) / 1e9;
                    Map<Ledger.Line, Ledger.Cost> naiveRun = ledger.lines();
                    report.naive(naiveRun, verdicts);
                    Report.Dollars theirs = report.naiveDollars(naiveRun, naiveSeconds, delivery.size());
                    out.printf("%nnaive / Headcount, scan -> record -> statistics: %.1fx (Lambda at the upper bound), %.1fx (lower)%n",
                            theirs.upper() / ours.upper(), theirs.lower() / ours.lower());
                }
                return exact && stillExact && onFailure.batches().isEmpty() ? 0 : 1;
            }
        }
    }

    /** The simulator's standard crowd with {@code gates} gates: its four and side doors added to them. */
    static CrowdSettings settings(int seed, int participants, int gates) {
        CrowdSettings d = CrowdSettings.defaults(seed, participants);
        if (gates < d.gates().size()) throw new IllegalArgumentException("--gates must be at least " + d.gates().size());
        List<com.headcount.device.simulator.GateSpec> all = new ArrayList<>(d.gates());
        for (int g = all.size() + 1; g <= gates; g++) {
            all.add(new com.headcount.device.simulator.GateSpec("side-" + g, "Side door " + g, 20));
        }
        return new CrowdSettings(d.seed(), d.participants(), all, d.attendance(), d.inactiveShare(), d.unknownShare(),
                d.bleRepeats(), d.doubleQr(), d.exits(), d.offlineGateId(), d.offlineFrom(), d.offlineUntil());
    }

    /** The load the event puts on the stream: its busiest minute, overall and at one gate (by scan time). */
    static void shape(CrowdScenario scenario, List<PlannedScan> delivery, PrintStream out) {
        Map<Long, Integer> perMinute = new java.util.HashMap<>();
        Map<String, Integer> perGateMinute = new java.util.HashMap<>();
        for (PlannedScan p : delivery) {
            long minute = p.scan().timestamp().toInstant().getEpochSecond() / 60;
            perMinute.merge(minute, 1, Integer::sum);
            perGateMinute.merge(p.scan().gateId() + "@" + minute, 1, Integer::sum);
        }
        int peak = perMinute.values().stream().mapToInt(i -> i).max().orElse(0);
        var busiest = perGateMinute.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        out.printf("shape: %d scans over %d minutes; busiest minute %d scans (%.1f/s); busiest gate-minute %d scans (%.1f/s, %s)%n",
                delivery.size(), perMinute.size(), peak, peak / 60.0, busiest.getValue(), busiest.getValue() / 60.0,
                busiest.getKey().substring(0, busiest.getKey().indexOf('@')));
    }

    /** The CPU pass's event is smaller: its CPU per scan settles within a few thousand scans. */
    static final int CPU_PASS_PARTICIPANTS = 3000;

    /**
     * The Lambda lower bound: a second, smaller event through both functions on clients without the meter, deciding
     * one scan at a time (DECISION_PARALLELISM 1) so that all of a function's work is on the thread that invoked it,
     * whose CPU time is counted. Waiting on the emulators is not CPU time; the SDK's own marshalling is, as on Lambda.
     *
     * @return CPU seconds per scan of the event, by function
     */
    private static Map<String, Double> cpuPass(java.net.URI dynamoEndpoint, java.net.URI kinesisEndpoint,
                                               DynamoDbClient admin, KinesisClient adminKinesis, int participants,
                                               int seed, int gates, int shards, int batch, PrintStream out) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        CrowdScenario scenario = CrowdScenario.generate("cpu-" + now.toEpochMilli(), now, settings(seed, participants, gates));
        StatsSettings stats = StatsSettings.from(Map.of("ATTENDANCE_RECORDED_STREAM", "recorded-cpu",
                "STATISTICS_UPDATES_STREAM", "updates-cpu", "DECISION_PARALLELISM", "1"));
        HeadcountSettings settings = stats.shared();
        LocalResources.createStream(adminKinesis, "scans-cpu", shards);
        LocalResources.createStream(adminKinesis, settings.attendanceRecordedStream(), shards);
        LocalResources.createStream(adminKinesis, stats.statisticsUpdatesStream(), 1);
        new EventLoader(admin, settings.referenceTable()).load(scenario);
        new ParticipantCounts(admin, settings.statisticsTable(), settings.referenceTable()).recount(scenario.eventId());
        AwsClients clients = LocalAws.clients(dynamoEndpoint, kinesisEndpoint);
        Timed ingest = new Timed(new IngestFunction(Wiring.gatekeeper(clients.dynamoDb(), clients.kinesis(),
                settings, Clock.systemUTC()), GateFeedback.NONE));
        Timed statistics = new Timed(new StatsFunction(StatsWiring.updater(clients.dynamoDb(), clients.kinesis(),
                stats, Clock.systemUTC(), Sleeper.REAL)));
        List<PlannedScan> delivery = deliveryOrder(scenario);
        var onFailure = new InMemoryOnFailureDestination();
        try (var ingestMapping = mapping(adminKinesis, "scans-cpu", ingest, batch, onFailure);
             var statsMapping = mapping(adminKinesis, settings.attendanceRecordedStream(), statistics, batch, onFailure)) {
            putOnScans(adminKinesis, "scans-cpu", delivery, null);
            ingestMapping.pollUntilCaughtUp(Duration.ofHours(1));
            statsMapping.pollUntilCaughtUp(Duration.ofHours(1));
        }
        Map<String, Double> perScan = new LinkedHashMap<>();
        perScan.put("ingest", ingest.cpuNanos.get() / 1e9 / delivery.size());
        perScan.put("stats", statistics.cpuNanos.get() / 1e9 / delivery.size());
        out.printf("CPU pass (%d participants, %d scans, one scan at a time, no meter): ingest %.3f ms, stats %.3f ms of CPU per scan%s%n",
                participants, delivery.size(), perScan.get("ingest") * 1e3, perScan.get("stats") * 1e3,
                onFailure.batches().isEmpty() ? "" : "; FAILED BATCHES: " + onFailure.batches().size());
        return perScan;
    }

    /**
     * The order the `scans` stream receives them: by scan time, except the offline gate's backlog, which goes out
     * when its gate is back (with its next live scan). Each gate's own order is kept: the ground truth depends on it.
     */
    static List<PlannedScan> deliveryOrder(CrowdScenario scenario) {
        record Timed(Instant at, int gateOrder, PlannedScan scan) {}
        List<Timed> all = new ArrayList<>();
        int g = 0;
        for (List<PlannedScan> gateScans : scenario.scansByGate().values()) {
            List<PlannedScan> backlog = new ArrayList<>();
            int order = 0;
            for (PlannedScan p : gateScans) {
                if (p.whileGateOffline()) {
                    backlog.add(p);
                    continue;
                }
                Instant at = p.scan().timestamp().toInstant();
                for (PlannedScan b : backlog) all.add(new Timed(at, g * 1_000_000 + order++, b));
                backlog.clear();
                all.add(new Timed(at, g * 1_000_000 + order++, p));
            }
            for (PlannedScan b : backlog) all.add(new Timed(scenario.replayEnd(), g * 1_000_000 + order++, b));
            g++;
        }
        all.sort(Comparator.comparing(Timed::at).thenComparing(Timed::gateOrder));
        return all.stream().map(Timed::scan).toList();
    }

    /** What the topic rule does: each message in its envelope onto `scans`, partition key the gate. */
    private static void putOnScans(KinesisClient kinesis, String stream, List<PlannedScan> scans, Ledger ledger) {
        for (int from = 0; from < scans.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (PlannedScan p : scans.subList(from, Math.min(scans.size(), from + 500))) {
                byte[] record = GateMessage.toRecord(p.scan().eventId(), p.scan().gateId(), p.scan().toJson());
                entries.add(PutRecordsRequestEntry.builder().partitionKey(p.scan().gateId())
                        .data(SdkBytes.fromByteArray(record)).build());
                if (ledger != null) {
                    // the rule's Kinesis action: one record per message, billed by the KB
                    long size = record.length + p.scan().gateId().length();
                    Ledger.Cost cost = ledger.line("rule", p.scan().scanId(), "shared", "kinesis:scans", "PutRecord");
                    ledger.charge(cost, 0, 0);
                    ledger.chargeRecords(cost, 1, (size + 1023) / 1024, size);
                }
            }
            var response = kinesis.putRecords(r -> r.streamName(stream).records(entries));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records refused by the Kinesis emulator");
            }
        }
    }

    private static KinesisEventSourceMapping mapping(KinesisClient kinesis, String stream,
                                                     RequestHandler<KinesisEvent, StreamsEventResponse> function,
                                                     int batch, InMemoryOnFailureDestination onFailure) {
        return new KinesisEventSourceMapping(kinesis, EventSourceMappingConfiguration.builder()
                .streamName(stream)
                .functionName(stream)
                .batchSize(batch)
                .startingPosition(EventSourceMappingConfiguration.StartingPosition.TRIM_HORIZON)
                .maximumRetryAttempts(3)
                .bisectBatchOnFunctionError(true)
                .reportBatchItemFailures(true)
                .onFailure(onFailure)
                .pollInterval(Duration.ofMillis(20))
                .build(), function);
    }

    static Map<String, Long> counts(Tally tally) {
        Map<String, Long> m = new TreeMap<>();
        m.put("accepted", tally.accepted());
        m.put("duplicate", tally.duplicate());
        m.put("rejected", tally.rejected());
        return m;
    }
}
