package com.headcount.bench.coldstart;

import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.bench.load.Percentiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * {@code bin/bench coldstart}: every function of ours in a fresh JVM, from process spawn to its first handled event
 * against the real emulators (dynalite, the configured Kinesis stand-in), beside a hello-world handler started the
 * same way in the same run (the floor). Runs are interleaved (run 1 of every function, then run 2, ...) so a drift in
 * the machine's load touches all alike. Per JVM flag set ("variant"), the median of the runs; then which dependencies
 * the classes come from (one extra run per function with {@code -Xlog:class+load}), and the jar's bytes per dependency.
 */
public final class ColdStartBenchmark implements Benchmark {

    /** What Lambda's java21 runtime starts the JVM with (its documentation: C1 only, the serial collector). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    @Override
    public String name() {
        return "coldstart";
    }

    @Override
    public String summary() {
        return "each function's fresh JVM to its first handled event on the emulators, beside a hello-world floor";
    }

    @Override
    public String usage() {
        return """
                bin/bench coldstart [options]
                  --runs N          fresh JVMs per function and variant; the table shows the median (5)
                  --functions LIST  comma-separated handler names, or all (all)
                  --variants LIST   JVM flag sets, comma-separated (jvm-defaults,lambda,lambda-appcds,lambda-primed):
                                      jvm-defaults   java -cp jar, nothing else
                                      lambda         what Lambda's java21 runtime sets: C1 only, serial GC
                                      lambda-appcds  lambda + an AppCDS archive per function (a training run first)
                                      lambda-primed  lambda + HEADCOUNT_PRIME_AT_INIT=true: the SnapStart priming
                                                     runs in INIT, so "first invoke" is what a restored snapshot
                                                     still pays (the restore itself is not measured here)
                  Append @MB to a variant (lambda@1024) to give its JVMs the CPU share Lambda gives that memory size
                  (1 769 MB = one vCPU; a cgroup v1 CPU quota, so it needs a writable /sys/fs/cgroup/cpu).
                  --cpus LIST       pin the function JVMs to these CPUs (taskset -c), e.g. 0; all: not pinned (all)
                  --class-load yes  one more run per function with -Xlog:class+load: classes and time per dependency
                  --data DIR        the emulators' data and the JVMs' logs (a new folder under /tmp)""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("runs", "5");
        defaults.put("functions", "all");
        defaults.put("variants", "jvm-defaults,lambda,lambda-appcds,lambda-primed");
        defaults.put("cpus", "all");
        defaults.put("class-load", "yes");
        defaults.put("data", null);
        Options o = Options.parse(args, defaults);
        int runs = o.integer("runs");
        if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1");
        List<String> variants = Arrays.asList(o.text("variants").split(","));
        for (String v : variants) {
            if (!List.of("jvm-defaults", "lambda", "lambda-appcds", "lambda-primed").contains(v.split("@")[0])) {
                throw new IllegalArgumentException("unknown variant " + v);
            }
            if (v.contains("@")) CpuShare.vcpus(v);
        }
        Path data = o.text("data") == null ? Files.createTempDirectory("headcount-coldstart-") : Path.of(o.text("data"));
        Path root = Path.of(System.getProperty("headcount.root", "."));
        Path jar = functionsJar(root);
        String java = ProcessHandle.current().info().command().orElse("java");

        out.printf("bin/bench coldstart %s%n", String.join(" ", args));
        out.printf("JVM %s (%s), %d cores, function JVMs %s; jar %s (%,d bytes); data in %s%n%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                o.text("cpus").equals("all") ? "not pinned" : "pinned to CPUs " + o.text("cpus"),
                root.relativize(jar), Files.size(jar), data);

        try (ColdStartStack stack = ColdStartStack.start(data, root)) {
            List<String> functions = o.text("functions").equals("all") ? ColdStartStack.FUNCTIONS
                    : Arrays.asList(o.text("functions").split(","));
            List<String> all = new ArrayList<>(functions);
            all.add(ColdStartStack.FLOOR);
            String classpath = jar + File.pathSeparator + harnessJar(data);
            Launcher launcher = new Launcher(java, classpath, stack, data, o.text("cpus"));

            Map<String, Map<String, List<Measurement>>> results = new LinkedHashMap<>();
            try {
                for (String variant : variants) {
                    String base = variant.split("@")[0];
                    // the old group goes before the new one is made: they share a name
                    launcher.cpuShare(null);
                    if (variant.contains("@")) launcher.cpuShare(CpuShare.of(variant));
                    List<String> flags = new ArrayList<>(base.equals("jvm-defaults") ? List.of() : LAMBDA_FLAGS);
                    Map<String, List<String>> perFunction = new LinkedHashMap<>();
                    for (String function : all) {
                        List<String> own = new ArrayList<>(flags);
                        if (base.equals("lambda-appcds")) {
                            Path archive = data.resolve("appcds").resolve(function + ".jsa");
                            Files.createDirectories(archive.getParent());
                            Files.deleteIfExists(archive);
                            List<String> training = new ArrayList<>(flags);
                            training.add("-XX:ArchiveClassesAtExit=" + archive);
                            launcher.launch(function, training, Map.of(), 0);
                            own.add("-XX:SharedArchiveFile=" + archive);
                        }
                        perFunction.put(function, own);
                    }
                    Map<String, String> env = base.equals("lambda-primed") ? Map.of("HEADCOUNT_PRIME_AT_INIT", "true") : Map.of();
                    Map<String, List<Measurement>> byFunction = new LinkedHashMap<>();
                    for (int run = 1; run <= runs; run++) {
                        for (String function : all) {
                            byFunction.computeIfAbsent(function, f -> new ArrayList<>())
                                    .add(launcher.launch(function, perFunction.get(function), env, run));
                        }
                    }
                    results.put(variant, byFunction);
                    print(out, variant, perFunction.get(ColdStartStack.FLOOR), byFunction, runs);
                }
            } finally {
                launcher.cpuShare(null);
            }
            if (results.size() > 1) printComparison(out, results);
            if (o.text("class-load").equals("yes")) {
                ClassLoadReport.print(out, launcher, all, LAMBDA_FLAGS, data.resolve("class-load"));
            }
            JarContents.print(out, jar);
        }
        return 0;
    }

    private static void print(PrintStream out, String variant, List<String> flags, Map<String, List<Measurement>> byFunction,
                              int runs) {
        out.printf("### %s (%s), median of %d fresh JVMs%n%n", variant, flags.isEmpty() ? "no flags" : String.join(" ",
                flags.stream().map(f -> f.startsWith("-XX:SharedArchiveFile") ? "-XX:SharedArchiveFile=<function>.jsa" : f)
                        .toList()), runs);
        out.println("| function | spawn → first event handled, ms | JVM start → main, ms | INIT (constructor), ms "
                + "| first invoke, ms | × floor | CPU time, ms | peak RSS, MB | classes loaded |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        long floor = median(byFunction.get(ColdStartStack.FLOOR), Measurement::total);
        byFunction.forEach((function, ms) -> out.printf("| %s | %d | %d | %d | %d | %.1f | %d | %d | %d |%n", function,
                millis(median(ms, Measurement::total)), millis(median(ms, Measurement::toMain)),
                millis(median(ms, Measurement::init)), millis(median(ms, Measurement::invoke)),
                (double) median(ms, Measurement::total) / floor, median(ms, Measurement::cpuMs),
                median(ms, Measurement::rssKb) / 1024,
                median(ms, Measurement::classes)));
        out.println();
    }

    private static void printComparison(PrintStream out, Map<String, Map<String, List<Measurement>>> results) {
        out.println("### spawn → first event handled, median ms (× that variant's floor)");
        out.println();
        out.println("| function | " + String.join(" | ", results.keySet()) + " |");
        out.println("|---" + "|---".repeat(results.size()) + "|");
        for (String function : results.values().iterator().next().keySet()) {
            StringBuilder row = new StringBuilder("| " + function + " |");
            for (var byFunction : results.values()) {
                long floor = median(byFunction.get(ColdStartStack.FLOOR), Measurement::total);
                long total = median(byFunction.get(function), Measurement::total);
                row.append(String.format(" %d (%.1f×) |", millis(total), (double) total / floor));
            }
            out.println(row);
        }
        out.println();
    }

    static long median(List<Measurement> ms, java.util.function.ToLongFunction<Measurement> value) {
        return Percentiles.of(ms.stream().map(m -> value.applyAsLong(m)).toList()).p50();
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    /** The shaded jar Lambda runs: {@code functions/target/*-lambda.jar}, built by bin/bench. */
    private static Path functionsJar(Path root) throws IOException {
        try (var files = Files.list(root.resolve("functions/target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no functions/target/*-lambda.jar: build with "
                            + "mvn -pl bench -am package"));
        }
    }

    /**
     * FirstEvent, HelloFunction and Invocation in a jar of their own: CDS archives classes from jars only, and the
     * child should not see the rest of the bench.
     */
    private static Path harnessJar(Path data) throws Exception {
        Path classes = Path.of(FirstEvent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = data.resolve("coldstart-harness.jar");
        String folder = FirstEvent.class.getPackageName().replace('.', '/');
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.list(classes.resolve(folder))) {
            List<Path> harness = files.filter(f -> f.getFileName().toString()
                    .matches("(FirstEvent|HelloFunction|Invocation)\\b.*\\.class")).sorted().toList();
            for (Path file : harness) {
                out.putNextEntry(new JarEntry(folder + "/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * One fresh JVM's first event, in nanoseconds measured from the parent's spawn.
     *
     * @param toMain spawn → FirstEvent.main; @param init the handler's construction; @param invoke its first event
     */
    record Measurement(long total, long toMain, long init, long invoke, long rssKb, long classes, long cpuMs) {}

    /** Starts the function JVMs: one at a time, nothing else of ours running meanwhile. */
    static final class Launcher {

        private final String java;
        private final String classpath;
        private final ColdStartStack stack;
        private final Path logs;
        private final String cpus;
        private CpuShare share;

        Launcher(String java, String classpath, ColdStartStack stack, Path data, String cpus) throws IOException {
            this.java = java;
            this.classpath = classpath;
            this.stack = stack;
            this.logs = Files.createDirectories(data.resolve("logs"));
            this.cpus = cpus;
        }

        /** @param share the CPU quota the next JVMs run under; null: none */
        void cpuShare(CpuShare share) {
            if (this.share != null) this.share.close();
            this.share = share;
        }

        Measurement launch(String function, List<String> flags, Map<String, String> env, int run) throws Exception {
            Invocation invocation = stack.invocation(function);
            List<String> command = new ArrayList<>();
            if (!cpus.equals("all")) command.addAll(List.of("taskset", "-c", cpus));
            if (share != null) command.addAll(share.prefix());
            command.add(java);
            command.addAll(flags);
            // kinesalite answers CBOR records in a shape the SDK cannot read; AWS itself speaks CBOR
            command.addAll(List.of("-Daws.cborEnabled=false", "-cp", classpath, FirstEvent.class.getName(),
                    invocation.handlerClass(), invocation.kind().name(), invocation.event()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(function + ".log").toFile()));
            builder.environment().clear();
            builder.environment().putAll(stack.environment());
            builder.environment().putAll(env);
            long spawn = System.nanoTime();
            Process process = builder.start();
            String line;
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                line = reader.readLine();
                if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
                if (line == null || !line.startsWith(FirstEvent.MARK + " ")) {
                    throw new IllegalStateException(function + " (run " + run + ") did not handle its event: " + line
                            + "; see " + logs.resolve(function + ".log"));
                }
                Map<String, Long> v = new LinkedHashMap<>();
                for (String pair : line.substring(FirstEvent.MARK.length() + 1).split(" ")) {
                    int eq = pair.indexOf('=');
                    v.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
                long handled = v.get("handled");
                return new Measurement(handled - spawn, v.get("main") - spawn, v.get("init") - v.get("main"),
                        handled - v.get("init"), v.get("rssKb"), v.get("classes"), v.get("cpuMs"));
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
