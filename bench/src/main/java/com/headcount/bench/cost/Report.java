package com.headcount.bench.cost;

import com.headcount.device.simulator.Tally;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The tables {@code bin/bench cost} prints, in Markdown, from the {@link Ledger}'s lines. */
final class Report {

    /** A function's invocations and seconds: wall time in the handler (upper) and its own CPU time (lower), if known. */
    record FunctionTime(long invocations, double seconds) {}

    /** Dollars per million scans for scan -> record -> statistics, Lambda at its lower and upper bound. */
    record Dollars(double lower, double upper) {}

    private static final double GB = 1024.0 * 1024 * 1024;

    private final PrintStream out;
    private final Map<String, Long> scans = new TreeMap<>();
    private final long total;
    private final long redelivered;
    /** Lambda CPU seconds per scan from the CPU pass, per stage; null until measured. */
    private Map<String, Double> cpuPerScan;

    Report(PrintStream out, Tally truth, long redelivered) {
        this.out = out;
        scans.putAll(CostBenchmark.counts(truth));
        this.total = truth.total();
        this.redelivered = redelivered;
        scans.put("shared", total);
        scans.put("redelivered", redelivered);
    }

    void cpu(Map<String, Double> perScan) {
        this.cpuPerScan = perScan;
    }

    void capacity(Map<Ledger.Line, Ledger.Cost> run, Map<Ledger.Line, Ledger.Cost> redelivery) {
        out.printf("%n### Capacity per scan, by outcome%n%n");
        out.printf("Scans: %d accepted, %d duplicate, %d rejected (%d in all); %d redelivered after the run. "
                        + "`shared`: requests for a whole batch (reads of stored outcomes, windows, reference data), per scan of any outcome.%n%n",
                scans.get("accepted"), scans.get("duplicate"), scans.get("rejected"), total, redelivered);
        out.println("| per scan | ingest requests | ingest WRU | ingest RRU | stats requests | stats WRU | stats RRU |");
        out.println("|---|---|---|---|---|---|---|");
        for (String outcome : List.of("accepted", "duplicate", "rejected", "shared")) {
            row(outcome, run, l -> l.outcome().equals(outcome), scans.get(outcome));
        }
        row("redelivered", redelivery, l -> true, redelivered);
        double[] all = sum(run, l -> !l.stage().equals("rule"));
        out.printf("%nAll in, per scan of the event: %.2f requests, %.3f WRU, %.3f RRU (DynamoDB and Kinesis requests "
                + "of both functions; the topic rule's records are not requests of ours).%n", all[0] / total, all[1] / total, all[2] / total);
        for (String outcome : List.of("accepted", "duplicate", "rejected")) {
            double[] own = sum(run, l -> l.outcome().equals(outcome) && !l.stage().equals("rule"));
            double[] shared = sum(run, l -> l.outcome().equals("shared") && !l.stage().equals("rule"));
            long n = Math.max(1, scans.get(outcome));
            out.printf("- one %s scan, its share of the batch included: %.2f requests, %.3f WRU, %.3f RRU%n", outcome,
                    own[0] / n + shared[0] / total, own[1] / n + shared[1] / total, own[2] / n + shared[2] / total);
        }

        out.printf("%n### By table and index (whole run; per scan of the line's outcome)%n%n");
        lines(run);
        out.printf("%n### The redelivery, by table and index (per redelivered scan)%n%n");
        lines(redelivery);
    }

    private void lines(Map<Ledger.Line, Ledger.Cost> run) {
        out.println("| function | outcome | table / index / stream | operation | requests | WRU | RRU | requests/scan | WRU/scan | RRU/scan |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        run.forEach((l, c) -> {
            if (l.stage().equals("rule")) return;
            long n = Math.max(1, scans.getOrDefault(l.outcome(), total));
            out.printf("| %s | %s | %s | %s | %d | %.0f | %.1f | %.3f | %.3f | %.3f |%n", l.stage(), l.outcome(), l.target(),
                    l.operation(), c.requests(), c.wru(), c.rru(), c.requests() / (double) n, c.wru() / n, c.rru() / n);
        });
    }

    /** How often the statistics publish a snapshot: each is a Kinesis record and one WebSocket message per dashboard. */
    void statsPublications(Map<Ledger.Line, Ledger.Cost> run) {
        long snapshots = run.entrySet().stream().filter(e -> e.getKey().stage().equals("stats")
                && e.getKey().target().startsWith("kinesis:")).mapToLong(e -> e.getValue().records()).sum();
        out.printf("%nStatistics snapshots published on `statistics-updates`: %d (%.1f per 1 000 scans).%n", snapshots,
                snapshots * 1000.0 / total);
        this.snapshots = snapshots;
    }

    private long snapshots;

    Dollars dollars(String design, Map<Ledger.Line, Ledger.Cost> run, FunctionTime ingest, FunctionTime stats,
                    long statsInvocations) {
        double m = 1e6 / total;
        double[] dynamo = sum(run, l -> !l.target().startsWith("kinesis:") && !l.stage().equals("rule"));
        long ruleKb = run.entrySet().stream().filter(e -> e.getKey().stage().equals("rule")).mapToLong(e -> e.getValue().billedKb()).sum();
        long ruleBytes = run.entrySet().stream().filter(e -> e.getKey().stage().equals("rule")).mapToLong(e -> e.getValue().bytes()).sum();
        long recordedKb = kinesis(run, "ingest", true);
        long recordedBytes = kinesis(run, "ingest", false);
        out.printf("%n### Dollars per million scans (%s)%n%n", design);
        out.println(Prices.table());
        out.println("| item | per scan | $ per million scans |");
        out.println("|---|---|---|");
        double iot = money("IoT Core: the gate's message (per message)", 1, Prices.IOT_MESSAGE);
        iot += money("IoT rule triggered + Kinesis action", 1, Prices.IOT_RULE + Prices.IOT_ACTION);
        double kinesis = money("Kinesis `scans` in (KB, rounded per record)", ruleKb / (double) total,
                Prices.KINESIS_GB_IN / (1024.0 * 1024));
        kinesis += money("Kinesis `scans` out to IngestFunction (bytes)", ruleBytes / (double) total, Prices.KINESIS_GB_OUT / GB);
        kinesis += money("Kinesis `attendance-recorded` in (KB, rounded per record)", recordedKb / (double) total,
                Prices.KINESIS_GB_IN / (1024.0 * 1024));
        kinesis += money("Kinesis `attendance-recorded` out to StatsFunction (bytes)", recordedBytes / (double) total,
                Prices.KINESIS_GB_OUT / GB);
        double db = money("DynamoDB WRU (ingest + statistics)", dynamo[1] / total, Prices.DYNAMODB_WRU);
        db += money("DynamoDB RRU (ingest + statistics)", dynamo[2] / total, Prices.DYNAMODB_RRU);
        double requests = money("Lambda requests (ingest + stats invocations)", (ingest.invocations() + statsInvocations) / (double) total,
                Prices.LAMBDA_REQUEST);
        double upper = money("Lambda GB-s, upper: wall time in the handlers on the emulators, x 1 GB",
                (ingest.seconds() + stats.seconds()) / total, Prices.LAMBDA_GB_SECOND * Prices.FUNCTION_GB);
        double lower = money("Lambda GB-s, lower: the handlers' own CPU time per scan x " + CPU_GB_SECONDS + " GB-s per CPU-second",
                lowerCpuSeconds(), Prices.LAMBDA_GB_SECOND * CPU_GB_SECONDS);
        double fixed = iot + kinesis + db + requests;
        Dollars d = new Dollars((fixed + lower) * 1e6, (fixed + upper) * 1e6);
        out.printf("| **scan -> record -> statistics** | | **$%.2f (Lambda lower) to $%.2f (upper)** |%n", d.lower(), d.upper());
        out.printf("| of which DynamoDB | | $%.2f |%n", db * 1e6);
        out.printf("| without IoT messaging (gates publishing through Basic Ingest) | | $%.2f to $%.2f |%n",
                d.lower() - 1.0, d.upper() - 1.0);
        out.printf("%nReported apart: decisions back to the gates, one IoT message per scan: $%.2f per million scans. "
                        + "Dashboards: %.1f snapshots per 1 000 scans, each one WebSocket message per connected dashboard: "
                        + "$%.4f per million scans per dashboard (plus $0.25 per million connection-minutes). "
                        + "Fixed, not per scan: 3 on-demand streams at $0.04 an hour each, $0.12 an hour.%n",
                Prices.IOT_MESSAGE * 1e6, snapshots * 1000.0 / total, snapshots * m * Prices.WEBSOCKET_MESSAGE);
        return d;
    }

    void naive(Map<Ledger.Line, Ledger.Cost> run, List<String> verdicts) {
        Map<String, Long> byVerdict = new TreeMap<>();
        verdicts.forEach(v -> byVerdict.merge(v, 1L, Long::sum));
        out.printf("%n### The naive per-scan design, same event%n%nIts verdicts: %s%n%n", byVerdict);
        out.println("| per scan | requests | WRU | RRU |");
        out.println("|---|---|---|---|");
        for (String outcome : List.of("accepted", "duplicate", "rejected")) {
            double[] s = sum(run, l -> l.outcome().equals(outcome));
            long n = Math.max(1, scans.get(outcome));
            out.printf("| %s | %.2f | %.3f | %.3f |%n", outcome, s[0] / n, s[1] / n, s[2] / n);
        }
        double[] all = sum(run, l -> true);
        out.printf("| all | %.2f | %.3f | %.3f |%n%n", all[0] / total, all[1] / total, all[2] / total);
        lines(run);
    }

    Dollars naiveDollars(Map<Ledger.Line, Ledger.Cost> run, double seconds, long invocations) {
        double[] all = sum(run, l -> true);
        out.printf("%n| naive item | per scan | $ per million scans |%n|---|---|---|%n");
        double iot = money("IoT Core message + rule + Lambda action", 1, Prices.IOT_MESSAGE + Prices.IOT_RULE + Prices.IOT_ACTION);
        double db = money("DynamoDB WRU", all[1] / total, Prices.DYNAMODB_WRU);
        db += money("DynamoDB RRU", all[2] / total, Prices.DYNAMODB_RRU);
        double requests = money("Lambda requests (one per scan)", invocations / (double) total, Prices.LAMBDA_REQUEST);
        double upper = money("Lambda GB-s, upper: wall time per scan on the emulators, x 1 GB", seconds / total,
                Prices.LAMBDA_GB_SECOND * Prices.FUNCTION_GB);
        // its lower bound: the same CPU per scan as Headcount's functions, a generous floor for a function per scan
        double lower = money("Lambda GB-s, lower: Headcount's own CPU per scan x " + CPU_GB_SECONDS + " GB-s per CPU-second",
                lowerCpuSeconds(), Prices.LAMBDA_GB_SECOND * CPU_GB_SECONDS);
        Dollars d = new Dollars((iot + db + requests + lower) * 1e6, (iot + db + requests + upper) * 1e6);
        out.printf("| **naive scan -> record -> statistics** | | **$%.2f to $%.2f** |%n", d.lower(), d.upper());
        out.printf("| of which DynamoDB | | $%.2f |%n", db * 1e6);
        return d;
    }

    /**
     * Lambda gives a function one vCPU at 1 769 MB and a proportional share below, so a CPU-second takes at least
     * 1769/M seconds at M MB: at least 1769/1024 GB-s whatever the size up to 1 769 MB.
     */
    static final double CPU_GB_SECONDS = 1.728;

    private double lowerCpuSeconds() {
        return cpuPerScan == null ? 0 : cpuPerScan.values().stream().mapToDouble(x -> x).sum();
    }

    private double money(String item, double perScan, double price) {
        double dollars = perScan * price;
        out.printf("| %s | %.4g | $%.4f |%n", item, perScan, dollars * 1e6);
        return dollars;
    }

    private static long kinesis(Map<Ledger.Line, Ledger.Cost> run, String stage, boolean billedKb) {
        return run.entrySet().stream().filter(e -> e.getKey().stage().equals(stage) && e.getKey().target().startsWith("kinesis:"))
                .mapToLong(e -> billedKb ? e.getValue().billedKb() : e.getValue().bytes()).sum();
    }

    private void row(String label, Map<Ledger.Line, Ledger.Cost> run, Predicate<Ledger.Line> which, long n) {
        double[] ingest = sum(run, l -> l.stage().equals("ingest") && which.test(l));
        double[] stats = sum(run, l -> l.stage().equals("stats") && which.test(l));
        long d = Math.max(1, n);
        out.printf("| %s (%d) | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", label, n, ingest[0] / d, ingest[1] / d,
                ingest[2] / d, stats[0] / d, stats[1] / d, stats[2] / d);
    }

    private static double[] sum(Map<Ledger.Line, Ledger.Cost> run, Predicate<Ledger.Line> which) {
        double[] s = new double[3];
        run.forEach((l, c) -> {
            if (!which.test(l)) return;
            s[0] += c.requests();
            s[1] += c.wru();
            s[2] += c.rru();
        });
        return s;
    }
}
