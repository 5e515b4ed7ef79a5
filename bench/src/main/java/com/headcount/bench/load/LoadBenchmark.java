package com.headcount.bench.load;

import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.bench.ProcessCpu;
import com.headcount.local.emulator.KinesisEmulator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/bench load}: a steady rate of scans through the local stack over MQTT from N gates, for a duration;
 * prints scan-to-decision percentiles (from the scan, queue included, and the queue wait apart), throughput, CPU per
 * process and where scans waited. {@code --runs 3} restarts the stack on the same data folder between runs, as a
 * user would; {@code --idle S} then measures the stack's CPU with nothing arriving.
 */
public final class LoadBenchmark implements Benchmark {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String summary() {
        return "a steady rate of scans over MQTT through the local stack: latency table, throughput, CPU, what lags";
    }

    @Override
    public String usage() {
        return """
                bin/bench load [options]
                  --rate N              scans a second over all gates (200)
                  --gates N             gates, each its own MQTT client (8)
                  --duration S          measured seconds (300), after --warmup S (10) whose scans are decided, not timed
                  --runs N              runs in a row on the same data folder, the stack restarted between them (1)
                  --idle S              afterwards, the stack's CPU over S seconds with nothing arriving (0: skip)
                  --data DIR            the stack's data folder (a new one under /tmp)
                  --publisher P         gates (Headcount's gate client) or mosquitto (mosquitto_pub/_sub) (gates)
                  --max-in-flight N     gate client: scans awaiting PUBACK at once (32; 1 = stop-and-wait)
                  --kinesis-emulator E  kinesalite or kinesis-local (kinesalite)
                exit code 0 when every scan of every run was decided and told to its gate exactly once""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("rate", "200");
        defaults.put("gates", "8");
        defaults.put("duration", "300");
        defaults.put("warmup", "10");
        defaults.put("runs", "1");
        defaults.put("idle", "0");
        defaults.put("data", null);
        defaults.put("publisher", "gates");
        defaults.put("max-in-flight", "32");
        defaults.put("kinesis-emulator", KinesisEmulator.configured().label());
        Options o = Options.parse(args, defaults);
        int rate = o.integer("rate");
        int gates = o.integer("gates");
        int runs = o.integer("runs");
        Duration warmup = Duration.ofSeconds(o.integer("warmup"));
        Duration measured = Duration.ofSeconds(o.integer("duration"));
        String publisher = o.text("publisher");
        if (!publisher.equals("gates") && !publisher.equals("mosquitto")) {
            throw new IllegalArgumentException("--publisher must be gates or mosquitto");
        }
        KinesisEmulator emulator = KinesisEmulator.named(o.text("kinesis-emulator"));
        Path data = o.text("data") == null ? Files.createTempDirectory("headcount-bench-") : Path.of(o.text("data"));
        out.printf("bin/bench load %s%n", String.join(" ", args));
        out.printf("%d scans/s over %d gates, %d s measured after %d s of warm-up, %d run(s); %s; data %s; %s, %d cores%n",
                rate, gates, measured.toSeconds(), warmup.toSeconds(), runs, emulator, data,
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());

        List<LoadRun.Result> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (StackProcess stack = StackProcess.start(data, emulator)) {
                String eventId = "bench-" + STAMP.format(Instant.now()) + "-r" + run;
                int participants = (int) (rate * (warmup.toSeconds() + measured.toSeconds())) + 1_000;
                BenchEvent event = BenchEvent.load(stack.dynamoDb(), eventId, gates, participants);
                Tracker tracker = new Tracker();
                try (Publishers publishers = publisher.equals("gates")
                        ? new GatePublishers(event, stack.port(com.headcount.local.stack.StackOptions.Service.MQTT),
                                data.resolve("bench-gates").resolve(eventId), o.integer("max-in-flight"), tracker)
                        : new MosquittoPublishers(event, stack.port(com.headcount.local.stack.StackOptions.Service.MQTT),
                                tracker)) {
                    out.printf("%nrun %d: event %s, %s%n", run, eventId, publishers.describe());
                    LoadRun.Result result = new LoadRun(stack, publishers, tracker, event, rate, warmup, measured).play(out);
                    results.add(result);
                    print(result, out);
                }
                if (run == runs && o.integer("idle") > 0) {
                    idle(stack, Duration.ofSeconds(o.integer("idle")), out);
                }
            }
        }
        if (runs > 1) {
            printRuns(results, out);
        }
        return results.stream().allMatch(LoadRun.Result::everyScanDecidedOnce) ? 0 : 1;
    }

    private static void print(LoadRun.Result r, PrintStream out) {
        out.printf("  scans made %d, decided %d%s; most decisions for one scan: %d; decisions for scans not made: %d%n",
                r.made(), r.decided(), r.decided() == r.made() ? " (every scan decided)" : " (NOT ALL DECIDED)",
                r.mostDecisionsForOneScan(), r.foreign());
        out.printf("  throughput over the measured %.0f s: %.1f scans/s made, %.1f decisions/s at the gates%n",
                r.measuredSeconds(), r.madePerSecond(), r.decidedPerSecond());
        out.printf("  scan-to-decision, from the scan, queue included: %s%n", r.scanToDecision().millis());
        out.printf("  of which in the gates' queue before the publish: %s%n", r.queueWait().millis());
        out.printf("  the gates' schedule ran late by at most %d ms%n", r.scheduleLateMaxMs());
        StringBuilder cpu = new StringBuilder("  CPU, % of one core over the measured time:");
        double total = 0;
        for (var e : r.cpuPercent().entrySet()) {
            cpu.append(String.format(" %s %.0f,", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        out.println(cpu.append(String.format(" all %.0f (of %d)", total, Runtime.getRuntime().availableProcessors() * 100)));
        StringBuilder requests = new StringBuilder("  requests to the emulators per decided scan:");
        double sum = 0;
        for (var e : r.requestsPerScan().entrySet()) {
            if (e.getValue() >= 0.005) {
                requests.append(String.format(" %s %.2f,", e.getKey(), e.getValue()));
                sum += e.getValue();
            }
        }
        out.println(requests.append(String.format(" all %.2f", sum)));
        out.println("  where scans waited (mean over the measured seconds / most at once):");
        String worst = null;
        double worstMean = 0;
        for (var e : r.backlogs().entrySet()) {
            long[] b = e.getValue();
            double mean = b[1] == 0 ? 0 : (double) b[0] / b[1];
            out.printf("    %-42s %8.1f / %d%n", e.getKey(), mean, b[2]);
            if (mean > worstMean) {
                worstMean = mean;
                worst = e.getKey();
            }
        }
        out.printf("    IngestFunction's MillisBehindLatest at most %d ms; StatsFunction's %d ms%n",
                r.ingestBehindMaxMs(), r.statsBehindMaxMs());
        out.printf("  lags most: %s%n", worst == null ? "nothing (no backlog seen)"
                : worst + String.format(" (%.0f scans, %.2f s of arrivals)", worstMean, worstMean / Math.max(1, r.madePerSecond())));
    }

    private static void printRuns(List<LoadRun.Result> results, PrintStream out) {
        out.println();
        out.println("| run | made | decided | p50 | p95 | p99 | max | decisions/s |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < results.size(); i++) {
            var r = results.get(i);
            var p = r.scanToDecision();
            out.printf("| %d | %d | %d | %s | %s | %s | %s | %.1f |%n", i + 1, r.made(), r.decided(),
                    Percentiles.ms(p.p50()), Percentiles.ms(p.p95()), Percentiles.ms(p.p99()), Percentiles.ms(p.max()),
                    r.decidedPerSecond());
        }
        double first = results.getFirst().scanToDecision().p99();
        double last = results.getLast().scanToDecision().p99();
        out.printf("last run's p99 / first run's: %.2f%n", first == 0 ? Double.NaN : last / first);
    }

    private static void idle(StackProcess stack, Duration span, PrintStream out) throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(10)); // the last batches and the JIT settle
        @SuppressWarnings("unchecked")
        Map<String, Object> pids = (Map<String, Object>) stack.metrics().get("pids");
        Map<String, Double> before = new LinkedHashMap<>();
        before.put("stack JVM", ProcessCpu.seconds(stack.pid()));
        pids.forEach((name, pid) -> {
            if (!name.equals("stack")) before.put(name, ProcessCpu.treeSeconds(((Number) pid).longValue()));
        });
        long start = System.nanoTime();
        Thread.sleep(span);
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder line = new StringBuilder(String.format("%nidle, nothing arriving, over %.0f s, %% of one core:", seconds));
        double total = 0;
        for (var e : before.entrySet()) {
            long pid = e.getKey().equals("stack JVM") ? stack.pid() : ((Number) pids.get(e.getKey())).longValue();
            double after = e.getKey().equals("stack JVM") ? ProcessCpu.seconds(pid) : ProcessCpu.treeSeconds(pid);
            double percent = (after - e.getValue()) / seconds * 100;
            total += percent;
            line.append(String.format(" %s %.1f,", e.getKey(), percent));
        }
        out.println(line.append(String.format(" the whole stack %.1f", total)));
    }
}
