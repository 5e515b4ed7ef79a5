package com.headcount.local.stack;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.device.Decision;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.GateAnswer;
import com.headcount.device.simulator.CrowdScenario;
import com.headcount.device.simulator.CrowdSettings;
import com.headcount.device.simulator.CrowdSimulator;
import com.headcount.device.simulator.GroundTruth;
import com.headcount.device.simulator.PlannedScan;
import com.headcount.device.simulator.Tally;
import com.headcount.local.gateway.LocalTokens;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
        return run(participants, playFor, StackOptions.Simulation.DEFAULT);
    }

    public Outcome run(int participants, Duration playFor, StackOptions.Simulation plan) throws Exception {
        Instant now = Instant.now();
        String eventId = "sim-" + RUN_ID.format(now);
        long seed = plan.seed() != null ? plan.seed() : now.toEpochMilli();
        CrowdSettings settings = CrowdSettings.defaults(seed, participants);
        if (plan.offlineFrom() != null) settings = settings.withOffline(plan.offlineGate(), plan.offlineFrom(), plan.offlineFor());
        CrowdScenario scenario = CrowdScenario.generate(eventId, now, settings);
        new EventLoader(stack.dynamo(), stack.settings().referenceTable()).load(scenario);
        out.printf("simulating event %s (seed %d): %d participants, %d gates (%s offline from minute %.1f to %.1f of the "
                        + "%d after doors open), %d scans over %d s%n", eventId, seed, participants,
                scenario.gates().size(), scenario.offlineGateId(), settings.offlineFrom() * CrowdSettings.span().toMinutes(),
                settings.offlineUntil() * CrowdSettings.span().toMinutes(), CrowdSettings.span().toMinutes(),
                scenario.totalScans(), playFor.toSeconds());
        Path queues = stack.options().dataFolder().resolve("gates").resolve(eventId);
        CrowdSimulator simulator = new CrowdSimulator(scenario, "127.0.0.1", stack.broker().port(),
                stack.settings().stage(), queues, playFor, out);
        Optional<Deactivation> deactivation = Optional.empty();
        GroundTruth truth = GroundTruth.of(scenario);
        if (plan.deactivateAt() != null) {
            Instant at = scenario.firstScan().plus(plan.deactivateAt());
            String participant = deactivatedAtTheOfflineGate(scenario, at);
            Deactivation d = new Deactivation(participant, at, new long[1]);
            deactivation = Optional.of(d);
            truth = GroundTruth.of(scenario, Map.of(participant, at));
            out.printf("at minute %.1f an organiser deactivates %s (who comes to %s while it is offline, after that)%n",
                    plan.deactivateAt().toMillis() / 60_000.0, participant, scenario.offlineGateId());
            simulator.at(at, () -> deactivate(eventId, d));
        }
        long began = System.nanoTime();
        CrowdSimulator.Result gates = simulator.run(Duration.ofMinutes(10), truth);
        stack.awaitCaughtUp(Duration.ofMinutes(5));
        long tookNanos = System.nanoTime() - began;
        Map<String, StoredOutcomes.Stored> stored = stack.outcomes().of(eventId);
        Outcome outcome = new Outcome(scenario, gates, stored, gates.groundTruth().tally(), StoredOutcomes.tally(stored),
                gates.decisionsTally());
        print(outcome);
        out.printf("played and decided in %.1f s (the replay %d s)%n", tookNanos / 1e9, playFor.toSeconds());
        gates.backlog().ifPresent(b -> out.printf("%s's backlog after it came back: %d scans, the first decided %d ms "
                        + "after its reconnect, all %d after %.1f s (%.1f decisions/s)%n", b.gateId(), b.scans(),
                b.firstDecision().toMillis(), b.scans(), b.lastDecision().toMillis() / 1e3, b.decisionsPerSecond()));
        if (plan.deactivateAt() != null || !gates.corrections().isEmpty()) {
            printEdge(outcome, deactivation);
        }
        return outcome;
    }

    /** Who is deactivated, from when (event time), and when the API's answer came ({@code doneNanos[0]}). */
    private record Deactivation(String participantId, Instant at, long[] doneNanos) {}

    /**
     * An active participant whose every scan is at the offline gate, the first a minute or more after {@code at} and
     * while the gate is away: the named case ("a status changed after the gate's last sync"), and no scan
     * before the change that the cloud would decide after it.
     */
    static String deactivatedAtTheOfflineGate(CrowdScenario scenario, Instant at) {
        Map<String, List<PlannedScan>> byParticipant = new TreeMap<>();
        for (PlannedScan p : scenario.allScans()) {
            byParticipant.computeIfAbsent(p.scan().participantId(), k -> new java.util.ArrayList<>()).add(p);
        }
        Set<String> active = new HashSet<>();
        scenario.participants().forEach(p -> {
            if (p.active()) active.add(p.participantId());
        });
        for (var e : byParticipant.entrySet()) {
            if (!active.contains(e.getKey())) continue;
            List<PlannedScan> scans = e.getValue();
            PlannedScan first = scans.stream().min(java.util.Comparator.comparing(p -> p.scan().timestamp())).orElseThrow();
            boolean allThere = scans.stream().allMatch(p -> p.scan().gateId().equals(scenario.offlineGateId()));
            if (allThere && first.whileGateOffline()
                    && !first.scan().timestamp().toInstant().isBefore(at.plus(Duration.ofMinutes(1)))) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("nobody comes to " + scenario.offlineGateId() + " while it is offline after "
                + at + ": deactivate earlier, or take the gate offline for longer");
    }

    private void deactivate(String eventId, Deactivation d) throws Exception {
        HttpResponse<String> r = organiser("PUT", "/api/v1/events/" + eventId + "/participants/" + d.participantId()
                + "/status", "{\"status\":\"inactive\"}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("deactivating " + d.participantId() + ": " + r.statusCode() + " " + r.body());
        }
        d.doneNanos()[0] = System.nanoTime();
    }

    private HttpResponse<String> organiser(String method, String path, String json) throws Exception {
        return asOrganiser(stack, "simulation", List.of("*"), method, path, json);
    }

    /** One request to the stack's HTTP API as an organiser of {@code events} (a 5-minute token); GET when no body. */
    static HttpResponse<String> asOrganiser(LocalStack stack, String subject, List<String> events, String method,
                                            String path, String json) throws Exception {
        String token = LocalTokens.inDataFolder(stack.options().dataFolder(), Clock.systemUTC()).mint(subject,
                List.of("organizer"), events, Duration.ofMinutes(5));
        try (HttpClient client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create(stack.apiGateway().endpoint() + path))
                    .header("Authorization", "Bearer " + token);
            if (json == null) {
                request.GET();
            } else {
                request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * The gates' own answers against the cloud's final decisions: each difference with its cause. The causes the
     * issue names are a status changed after the gate's last sync and scans at the same gate by another client (the
     * simulator runs one client per gate, so only the first can happen here); any other is printed scan by scan.
     */
    private void printEdge(Outcome o, Optional<Deactivation> deactivation) throws Exception {
        Map<String, GateAnswer> answers = o.gates().answers();
        Map<String, PlannedScan> planned = new LinkedHashMap<>();
        o.scenario().allScans().forEach(p -> planned.put(p.scan().scanId(), p));
        Map<String, Long> undecided = new TreeMap<>();
        Map<String, String> causes = new TreeMap<>();
        for (var e : answers.entrySet()) {
            GateAnswer a = e.getValue();
            if (a.provisional().isEmpty()) {
                undecided.merge(a.state().name(), 1L, Long::sum);
                continue;
            }
            var p = a.provisional().get();
            String gateReason = p.reason() == null ? null : p.reason().code();
            StoredOutcomes.Stored cloud = o.stored().get(e.getKey());
            if (cloud == null) {
                causes.put(e.getKey(), "NOT STORED");
                continue;
            }
            if (p.verdict().wireName().equals(cloud.outcome()) && java.util.Objects.equals(gateReason, cloud.reason())) {
                continue;
            }
            PlannedScan scan = planned.get(e.getKey());
            boolean named = deactivation.isPresent()
                    && scan.scan().participantId().equals(deactivation.get().participantId())
                    && !scan.scan().timestamp().toInstant().isBefore(deactivation.get().at());
            causes.put(e.getKey(), named
                    ? (scan.whileGateOffline() ? "status changed after the gate's last sync (deactivated while the gate was offline)"
                            : "status changed after the gate's last sync (the delta not yet taken)")
                    : "UNNAMED: gate " + scan.scan().gateId() + (scan.whileGateOffline() ? " (offline)" : "") + ", "
                            + scan.scan().participantId() + ", gate said " + p.verdict().wireName()
                            + (gateReason == null ? "" : "/" + gateReason) + ", cloud " + cloud.outcome()
                            + (cloud.reason() == null ? "" : "/" + cloud.reason()));
        }
        out.println();
        out.println(undecided.isEmpty() ? "every scan was answered at once on its gate"
                : "scans not decided on their gate (no allow-list, or a stale one): " + undecided);
        Map<String, Long> byCause = new TreeMap<>();
        causes.values().forEach(c -> byCause.merge(c, 1L, Long::sum));
        out.printf("gate answer != cloud's final decision: %d scans%n", causes.size());
        byCause.forEach((cause, n) -> out.printf("  %6d  %s%n", n, cause));
        Map<Correction.Kind, Long> shown = new TreeMap<>();
        o.gates().corrections().forEach(c -> shown.merge(c.kind(), 1L, Long::sum));
        Set<String> corrected = new TreeSet<>();
        o.gates().corrections().forEach(c -> corrected.add(c.scanId()));
        out.printf("corrections shown at the gates: %d %s; %s%n", corrected.size(), shown,
                corrected.equals(causes.keySet()) ? "the same scans" : "NOT THE SAME SCANS as the differences above");
        Set<String> storedMismatches = storedEdgeMismatches(o.scenario().eventId());
        out.printf("stored beside the cloud's outcome as an edge mismatch: %d scans (%s)%n", storedMismatches.size(),
                storedMismatches.stream().map(id -> causes.containsKey(id) ? "a difference above" : "NOT ONE ABOVE: " + id)
                        .distinct().toList());
        deactivation.ifPresent(d -> out.printf("the deactivation's API call returned %s%n",
                d.doneNanos()[0] == 0 ? "never" : "during the replay"));
        statsRoute(o);
    }

    private Set<String> storedEdgeMismatches(String eventId) {
        Set<String> ids = new TreeSet<>();
        for (var item : stack.dynamo().scanPaginator(b -> b.tableName(stack.settings().scansTable())).items()) {
            if (item.containsKey("eventId") && eventId.equals(item.get("eventId").s())
                    && item.containsKey("provisional") && item.get("provisional").hasM()
                    && item.get("provisional").m().containsKey("edgeMismatch")) {
                ids.add(item.get("scanId").s());
            }
        }
        return ids;
    }

    /** The statistics as an organiser reads them, once they have counted every accepted scan (or after two minutes). */
    @SuppressWarnings("unchecked")
    private void statsRoute(Outcome o) throws Exception {
        String path = "/api/v1/events/" + o.scenario().eventId() + "/stats";
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, Object> overall = Map.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = organiser("GET", path, null);
            if (r.statusCode() == 200) {
                overall = (Map<String, Object>) JSON.std.mapFrom(r.body()).get("overall");
                if (overall != null && o.groundTruth().accepted() == ((Number) overall.getOrDefault("acceptedScans", 0)).longValue()) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        Object accepted = overall == null ? null : overall.get("acceptedScans");
        out.printf("the statistics route: %s accepted scans (ground truth %d), edge mismatches %s%n", accepted,
                o.groundTruth().accepted(), overall == null ? null : overall.get("edgeMismatches"));
        HttpResponse<String> gates = organiser("GET", path + "/gates", null);
        if (gates.statusCode() == 200 && JSON.std.mapFrom(gates.body()).get("gates") instanceof Map<?, ?> byGate) {
            byGate.forEach((gate, figures) -> out.printf("  %-6s accepted %s, edge mismatches %s%n", gate,
                    ((Map<?, ?>) figures).get("totalProcessed"), ((Map<?, ?>) figures).get("edgeMismatches")));
        }
    }

    private void print(Outcome o) {
        out.println();
        Tally answered = Tally.of(o.gates().answers().values().stream().flatMap(a -> a.provisional().stream())
                .map(p -> Map.entry(p.verdict().wireName(), p.reason() == null ? "" : p.reason().code())).toList());
        out.printf("%-28s %12s %12s %12s %14s%n", "", "ground truth", "stored", "gates told", "gates answered");
        row("scans", o.groundTruth().total(), o.system().total(), o.decisions().total(), answered.total());
        row("accepted", o.groundTruth().accepted(), o.system().accepted(), o.decisions().accepted(), answered.accepted());
        row("duplicate", o.groundTruth().duplicate(), o.system().duplicate(), o.decisions().duplicate(),
                answered.duplicate());
        var reasons = new TreeSet<>(o.groundTruth().rejectedByReason().keySet());
        reasons.addAll(o.system().rejectedByReason().keySet());
        for (String reason : reasons) {
            row("rejected " + reason, o.groundTruth().rejected(reason), o.system().rejected(reason),
                    o.decisions().rejected(reason), answered.rejected(reason));
        }
        out.println("(gates told: the cloud's final decisions each gate received; gates answered: what each gate showed "
                + "at once from its allow-list)");
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

    private void row(String label, long truth, long stored, long told, long answered) {
        out.printf("%-28s %12d %12d %12d %14d%n", label, truth, stored, told, answered);
    }
}
