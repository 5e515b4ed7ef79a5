package com.headcount.bench;

import com.headcount.bench.broadcast.BroadcastBenchmark;
import com.headcount.bench.chaos.ChaosBenchmark;
import com.headcount.bench.checkin.CheckinBenchmark;
import com.headcount.bench.cost.CostBenchmark;
import com.headcount.bench.coldstart.ColdStartBenchmark;
import com.headcount.bench.core.CoreBenchmark;
import com.headcount.bench.emulators.EmulatorsBenchmark;
import com.headcount.bench.edge.EdgeBenchmark;
import com.headcount.bench.load.LoadBenchmark;
import java.util.List;

/**
 * {@code bin/bench NAME [options]}: runs one benchmark. To add one, implement {@link Benchmark} in a package of its
 * own under {@code com.headcount.bench} and list it in {@link #BENCHMARKS}; its numbers go in BENCHMARKS.md with the
 * command that made them.
 */
public final class Bench {

    static final List<Benchmark> BENCHMARKS = List.of(new LoadBenchmark(), new EmulatorsBenchmark(),
            new BroadcastBenchmark(), new CostBenchmark(), new ColdStartBenchmark(), new CoreBenchmark(),
            new ChaosBenchmark(), new EdgeBenchmark(), new CheckinBenchmark());

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // the gate clients log each connection through JUL; the tables are what a run prints
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var handler : root.getHandlers()) handler.setLevel(java.util.logging.Level.WARNING);
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("bin/bench NAME [options]   (bin/bench NAME --help for its options)");
            BENCHMARKS.forEach(b -> System.out.printf("  %-10s %s%n", b.name(), b.summary()));
            System.exit(args.length == 0 ? 2 : 0);
        }
        Benchmark benchmark = BENCHMARKS.stream().filter(b -> b.name().equals(args[0])).findFirst().orElse(null);
        if (benchmark == null) {
            System.err.println("no benchmark named " + args[0] + "; bin/bench --help lists them");
            System.exit(2);
            return;
        }
        List<String> rest = List.of(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println(benchmark.usage());
            System.exit(0);
        }
        int code;
        try {
            code = benchmark.run(rest, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + System.lineSeparator() + benchmark.usage());
            code = 2;
        }
        System.exit(code);
    }
}
