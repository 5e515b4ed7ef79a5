package com.headcount.bench.chaos;

import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.local.emulator.KinesisEmulator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/bench chaos}: the crowd through the local stack over MQTT while every kind of {@link Fault} is injected
 * in turn; prints the per-fault table and the five checks, and exits 1 when a check fails. RELIABILITY.md has a
 * large run's numbers and what each guarantee rests on.
 */
public final class ChaosBenchmark implements Benchmark {

    @Override
    public String name() {
        return "chaos";
    }

    @Override
    public String summary() {
        return "the crowd over MQTT while faults are injected on a schedule; checks nothing is lost, doubled or wrong";
    }

    @Override
    public String usage() {
        return """
                bin/bench chaos [options]
                  --participants N      crowd size (14500: about 20 500 scans over 8 gates; 1000: about 1 400)
                  --seed S              the crowd, its redeliveries and its scan ids (1)
                  --seconds S           how long the crowd plays, in real time (480); the faults are spread over it
                  --redeliver F         share of scans their gate publishes a second time (0.03)
                  --clock-seconds S     the stack's publish retry and statistics clock (2)
                  --data DIR            the stack's data folder (a new one under /tmp)
                  --kinesis-emulator E  kinesalite or kinesis-local (kinesalite)
                faults, one after another, each followed by a quiet stretch: DynamoDB throttling, DynamoDB 500s,
                Kinesis throughput errors on reads then on writes, a function killed mid-batch (ingest, then
                statistics), the MQTT broker restarted, the whole stack SIGKILLed and started again on its data,
                dynalite killed and restarted, kinesalite killed and restarted
                exit code 0 when all five checks pass, 1 when one fails""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("participants", "14500");
        defaults.put("seed", "1");
        defaults.put("seconds", "480");
        defaults.put("redeliver", "0.03");
        defaults.put("clock-seconds", "2");
        defaults.put("data", null);
        defaults.put("kinesis-emulator", KinesisEmulator.configured().label());
        Options o = Options.parse(args, defaults);
        double redeliver;
        try {
            redeliver = Double.parseDouble(o.text("redeliver"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--redeliver must be a share between 0 and 1");
        }
        Path data = o.text("data") == null ? Files.createTempDirectory("headcount-chaos-") : Path.of(o.text("data"));
        var settings = new ChaosRun.Settings(o.integer("participants"), o.integer("seed"),
                Duration.ofSeconds(o.integer("seconds")), redeliver, data, KinesisEmulator.named(o.text("kinesis-emulator")),
                o.integer("clock-seconds"));
        out.printf("bin/bench chaos %s%n", String.join(" ", args));
        out.printf("%s UTC; %s, %d cores; %s; data %s%n", Instant.now(), System.getProperty("os.name") + " "
                + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), settings.emulator(), data);
        long began = System.nanoTime();
        ChaosRun run = new ChaosRun(settings, out);
        ChaosChecks checks = run.run();
        checks.print(out);
        run.notes.forEach(n -> out.println("note: " + n));
        out.printf("run took %.0f s (first stack start %.1f s)%n", (System.nanoTime() - began) / 1e9,
                run.firstStackStart().toMillis() / 1000.0);
        out.println(checks.passed() ? "ALL FIVE CHECKS PASSED" : "A CHECK FAILED");
        return checks.passed() ? 0 : 1;
    }
}
