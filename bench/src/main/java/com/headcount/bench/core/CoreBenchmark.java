package com.headcount.bench.core;

import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bin/bench core}: {@link CoreSpeed} under JMH, in forked JVMs with the flags Lambda's java21 runtime uses
 * and, beside them, the JVM's defaults (C2): a function that stays warm for hours runs closer to the second.
 */
public final class CoreBenchmark implements Benchmark {

    @Override
    public String name() {
        return "core";
    }

    @Override
    public String summary() {
        return "JMH: deciding and counting scans with in-memory stores, scans per second per core";
    }

    @Override
    public String usage() {
        return """
                bin/bench core [options]
                  --forks N        JVMs per benchmark and flag set (2)
                  --warmup N       warm-up iterations (3)
                  --iterations N   measured iterations (5)
                  --seconds N      seconds per iteration (2)
                  --include REGEX  which of decide, aggregate, parse, outcomeJson (.*)""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("forks", "2");
        defaults.put("warmup", "3");
        defaults.put("iterations", "5");
        defaults.put("seconds", "2");
        defaults.put("include", ".*");
        Options o = Options.parse(args, defaults);
        out.printf("bin/bench core %s%nJVM %s, %d cores; one thread per benchmark; scores per scan (batches of %d)%n%n",
                String.join(" ", args), Runtime.version(), Runtime.getRuntime().availableProcessors(), CoreSpeed.BATCH);
        Map<String, List<String>> flagSets = new LinkedHashMap<>();
        flagSets.put("Lambda java21 flags (C1 only, serial GC)", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        flagSets.put("JVM defaults (C2)", List.of());
        Map<String, Map<String, RunResult>> results = new LinkedHashMap<>();
        for (var flags : flagSets.entrySet()) {
            var options = new OptionsBuilder()
                    .include(CoreSpeed.class.getName() + "\\.(" + o.text("include") + ")$")
                    .forks(o.integer("forks"))
                    .warmupIterations(o.integer("warmup"))
                    .measurementIterations(o.integer("iterations"))
                    .warmupTime(TimeValue.seconds(o.integer("seconds")))
                    .measurementTime(TimeValue.seconds(o.integer("seconds")))
                    .threads(1)
                    .jvmArgsAppend(flags.getValue().toArray(String[]::new))
                    .build();
            Map<String, RunResult> byName = new LinkedHashMap<>();
            for (RunResult r : new Runner(options).run()) {
                String label = r.getParams().getBenchmark();
                byName.put(label.substring(label.lastIndexOf('.') + 1), r);
            }
            results.put(flags.getKey(), byName);
        }
        out.println();
        out.println("| benchmark | " + String.join(" | ", results.keySet().stream()
                .map(k -> k + ": scans/s ± 99.9 % CI, µs per scan").toList()) + " |");
        out.println("|---" + "|---".repeat(results.size()) + "|");
        for (String name : results.values().iterator().next().keySet()) {
            StringBuilder row = new StringBuilder("| " + name + " |");
            for (var byName : results.values()) {
                var score = byName.get(name).getPrimaryResult();
                row.append(String.format(" %,.0f ± %,.0f, %.2f |", score.getScore(), score.getScoreError(),
                        1e6 / score.getScore()));
            }
            out.println(row);
        }
        return 0;
    }
}
