package com.headcount.local.stack;

import com.headcount.device.Decision;
import com.headcount.device.simulator.CrowdScenario;
import com.headcount.device.simulator.CrowdSettings;
import com.headcount.device.simulator.CrowdSimulator;
import com.headcount.device.simulator.Tally;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs the crowd simulator against a started stack and prints its ground truth beside what the system stored and
 * what the gates were told.
 *
 * <p>Each run is its own event ({@code sim-<time>}), replaying the 85 minutes before now: the 5-minute window would
 * otherwise make a run's scans duplicates of an earlier run's, and the ground truth would no longer be the truth.
 */
public final class StackSimulation {

    /** What a run produced: the simulator's side and the system's side. */
    public record Outcome(CrowdScenario scenario, CrowdSimulator.Result gates, Map<String, StoredOutcomes.Stored> stored,
                          Tally groundTruth, Tally system, Tally decisions) {

        public boolean systemMatchesGroundTruth() {
            return groundTruth.equals(system);
        }

        /** Scan ids whose decision at the gate differs from the stored outcome (or that got none). */
        public java.util.Set<String> decisionMismatches() {
            var mismatches = new TreeSet<String>();
            stored.forEach((scanId, s) -> {
                Decision d = gates.decisions().get(scanId);
                if (d == null || !d.outcome().equals(s.outcome()) || !java.util.Objects.equals(d.reason(), s.reason())) {
                    mismatches.add(scanId);
                }
            });
            gates.decisions().keySet().stream().filter(id -> !stored.containsKey(id)).forEach(mismatches::add);
            return mismatches;
        }
    }

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final LocalStack stack;
    private final PrintStream out;

    public StackSimulation(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    public Outcome run(int participants, Duration playFor) throws Exception {
        Instant now = Instant.now();
        String eventId = "sim-" + RUN_ID.format(now);
        CrowdScenario scenario = CrowdScenario.generate(eventId, now, CrowdSettings.defaults(now.toEpochMilli(), participants));
        new EventLoader(stack.dynamo(), stack.settings().referenceTable()).load(scenario);
        out.printf("simulating event %s: %d participants, %d gates (%s offline for a while), %d scans over %d s%n",
                eventId, participants, scenario.gates().size(), scenario.offlineGateId(), scenario.totalScans(),
                playFor.toSeconds());
        Path queues = stack.options().dataFolder().resolve("gates").resolve(eventId);
        CrowdSimulator simulator = new CrowdSimulator(scenario, "127.0.0.1", stack.broker().port(),
                stack.settings().stage(), queues, playFor, out);
        CrowdSimulator.Result gates = simulator.run(Duration.ofSeconds(60));
        stack.awaitCaughtUp(Duration.ofSeconds(60));
        Map<String, StoredOutcomes.Stored> stored = stack.outcomes().of(eventId);
        Outcome outcome = new Outcome(scenario, gates, stored, gates.groundTruth().tally(), StoredOutcomes.tally(stored),
                gates.decisionsTally());
        print(outcome);
        return outcome;
    }

    private void print(Outcome o) {
        out.println();
        out.printf("%-28s %12s %12s %12s%n", "", "ground truth", "stored", "gates told");
        row("scans", o.groundTruth().total(), o.system().total(), o.decisions().total());
        row("accepted", o.groundTruth().accepted(), o.system().accepted(), o.decisions().accepted());
        row("duplicate", o.groundTruth().duplicate(), o.system().duplicate(), o.decisions().duplicate());
        var reasons = new TreeSet<>(o.groundTruth().rejectedByReason().keySet());
        reasons.addAll(o.system().rejectedByReason().keySet());
        for (String reason : reasons) {
            row("rejected " + reason, o.groundTruth().rejected(reason), o.system().rejected(reason),
                    o.decisions().rejected(reason));
        }
        out.println(o.systemMatchesGroundTruth() ? "the system's counts equal the ground truth"
                : "THE SYSTEM'S COUNTS DIFFER FROM THE GROUND TRUTH");
        int mismatches = o.decisionMismatches().size();
        out.println(mismatches == 0 ? "every gate was told the stored outcome of each of its scans"
                : mismatches + " scans whose gate decision differs from the stored outcome (or never came)");
        var latency = o.gates().scanToDecision();
        var queued = o.gates().queueWait();
        out.printf("scan-to-decision at the gates, from the scan (its time in the gate's queue included), %d live scans:%n",
                latency.count());
        out.printf("  p50 %d ms, p95 %d ms, p99 %d ms; of which in the gates' queues: p50 %d ms, p95 %d ms, p99 %d ms%n",
                latency.percentile(50).toMillis(), latency.percentile(95).toMillis(), latency.percentile(99).toMillis(),
                queued.percentile(50).toMillis(), queued.percentile(95).toMillis(), queued.percentile(99).toMillis());
        out.printf("  (%d scans made while their gate was offline are its backlog, decided when it came back, not timed)%n",
                o.gates().decisions().size() - latency.count());
    }

    private void row(String label, long truth, long stored, long told) {
        out.printf("%-28s %12d %12d %12d%n", label, truth, stored, told);
    }
}
