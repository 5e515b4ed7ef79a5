package com.headcount.local.stack;

import static com.headcount.local.stack.TestStacks.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.DecisionListener;
import com.headcount.device.Direction;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import com.headcount.device.ScanTiming;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.GateAnswer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, point 5, at a small size for CI: a crowd over three real gates on the local stack, one gate (east) cut off
 * from the broker for a stretch in the middle, and one participant deactivated over the HTTP API while it is away.
 * Every gate answers every scan at once from its allow-list; the offline gate queues its scans on disk and sends them
 * when it is back. Then: every scan has the cloud's decision at its gate (nothing lost), the stored outcomes and the
 * statistics equal the ground truth, and the only edge mismatch, at the gate, in the stored outcomes and in the stats
 * route, is the case the issue names: the deactivated participant scanned at the offline gate after the deactivation,
 * which that gate could not know of.
 */
class EdgeOfflineCrowdTest {

    static final String REFUSED_LET_IN = "cloud_refused_gate_accepted";
    static final String ACCEPTED_KEPT_OUT = "cloud_accepted_gate_refused";
    static final List<String> GATES = List.of("north", "south", "east");
    static final String OFFLINE = "east";
    /** Active in the demo event (not a 40th), scanned by nobody before the deactivation. */
    static final String DEACTIVATED = "P-00500";

    @TempDir
    Path data;

    /** What the test knows of each scan it made: the ground truth is computed from these, in the gate's order. */
    record Made(Scan scan, boolean afterDeactivation, GateAnswer answer) {}

    private final Map<String, List<Made>> madeByGate = new ConcurrentHashMap<>();
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final Map<String, List<Correction>> corrections = new ConcurrentHashMap<>();
    private volatile boolean deactivated;

    @Test
    void anOfflineGateAndADeactivationMidEventMismatchOnlyInTheNamedCase() throws Exception {
        StackOptions options = TestStacks.onFreePorts(data);
        try (LocalStack stack = LocalStack.start(options, new PrintStream(new ByteArrayOutputStream()))) {
            Map<String, GateClient> gates = new LinkedHashMap<>();
            try {
                for (String g : GATES) {
                    gates.put(g, open(stack, g));
                    gates.get(g).start();
                }
                for (String g : GATES) {
                    GateClient gate = gates.get(g);
                    await(() -> gate.isConnected() && gate.edge().store().list().isPresent(), g + " online with its list");
                }

                // 1. all online. The participant to be deactivated is not scanned before the change: the cloud reads
                // participants through a cache of 15 s (docs/architecture.md), so a participant it looked up just
                // before a deactivation is still let in by the cloud while the online gates, which get the delta in
                // about a second, already refuse: a mismatch the issue does not name, left out here and reported.
                scan(gates, "north", range(1, 40), "P-00001");
                scan(gates, "south", range(101, 140), "P-00101");
                scan(gates, "east", range(201, 230), "P-00201");
                // the cloud's decisions published while east is away would not be kept for it (clean session):
                // it leaves only once it has heard about everything it sent, as a gate losing its Wi-Fi at a quiet moment
                awaitAllDecided(gates);

                // 2. east loses the broker: a gate on the same disk (its queue, window and allow-list), never started
                gates.remove(OFFLINE).close();
                GateClient east = open(stack, OFFLINE);
                gates.put(OFFLINE, east);
                assertFalse(east.isConnected());
                int madeOnline = madeByGate.get(OFFLINE).size();
                long eastVersion = east.edge().store().list().orElseThrow().version();
                scan(gates, "east", range(301, 330), "P-00301");
                scan(gates, "north", range(41, 60));
                scan(gates, "south", range(141, 160));

                // 3. the organiser deactivates a participant mid-event; the online gates take the delta
                Map<String, Long> before = new TreeMap<>();
                for (String g : List.of("north", "south")) before.put(g, gates.get(g).edge().store().list().orElseThrow().version());
                assertEquals(200, organiser(stack, "PUT", "/api/v1/events/demo/participants/" + DEACTIVATED + "/status",
                        "{\"status\":\"inactive\"}").statusCode());
                deactivated = true;
                for (String g : before.keySet()) {
                    GateClient gate = gates.get(g);
                    await(() -> gate.edge().store().list().orElseThrow().version() > before.get(g), g + " takes the delta");
                }
                assertEquals(eastVersion, east.edge().store().list().orElseThrow().version(), "east heard nothing");

                // 4. the deactivated participant tries every gate; the crowd goes on
                scan(gates, "east", List.of(DEACTIVATED));
                scan(gates, "east", range(331, 350));
                scan(gates, "north", List.of(DEACTIVATED));
                scan(gates, "north", range(61, 80));
                scan(gates, "south", List.of(DEACTIVATED));
                scan(gates, "south", range(161, 180));
                assertEquals(madeByGate.get(OFFLINE).size() - madeOnline, east.queuedScans(),
                        "everything east made offline is on its disk, nothing sent");

                // 5. east is back: its backlog goes out, oldest first
                east.start();
                awaitAllDecided(gates);
                stack.awaitCaughtUp(Duration.ofSeconds(60));

                Map<String, String> expected = groundTruth();
                Set<String> named = namedMismatches();
                assertEquals(1, named.size(), "the named case happens once in this crowd");

                // nothing lost: each gate was told the cloud's decision of each scan it made, as the ground truth says
                Map<String, String> told = new TreeMap<>();
                decisions.forEach((id, d) -> told.put(id, d.outcome() + (d.reason() == null ? "" : "/" + d.reason())));
                assertEquals(new TreeMap<>(expected), told);

                // what the gates showed: the cloud's decision differs from the gate's answer only in the named case
                Set<String> differed = new HashSet<>();
                for (var byGate : madeByGate.values()) {
                    for (Made m : byGate) {
                        var p = m.answer().provisional().orElseThrow(() -> new AssertionError("undecided on the gate: "
                                + m.answer().describe()));
                        String gate = p.verdict().wireName()
                                + (p.verdict().wireName().equals("rejected") ? "/" + p.reason().code() : "");
                        if (!gate.equals(expected.get(m.scan().scanId()))) {
                            differed.add(m.scan().scanId());
                        }
                    }
                }
                assertEquals(named, differed, "the gates' answers against the cloud's");
                Set<String> correctedAtEast = corrections.getOrDefault(OFFLINE, List.of()).stream()
                        .map(Correction::scanId).collect(Collectors.toSet());
                assertEquals(named, correctedAtEast, "east shows the correction");
                assertEquals(Correction.Kind.GATE_ACCEPTED_CLOUD_REFUSED, corrections.get(OFFLINE).get(0).kind());
                for (String g : List.of("north", "south")) {
                    assertEquals(List.of(), corrections.getOrDefault(g, List.of()), g + " was never corrected");
                }

                // the cloud's counts: every stored outcome as the ground truth says, and the stats route agrees
                Map<String, String> stored = new TreeMap<>();
                new StoredOutcomes(stack.dynamo(), stack.settings().scansTable()).of("demo").forEach((id, s) ->
                        stored.put(id, s.outcome() + (s.reason() == null ? "" : "/" + s.reason())));
                assertEquals(new TreeMap<>(expected), stored);
                assertEquals(named, storedMismatches(stack), "stored beside the outcome, for the named case only");

                long accepted = expected.values().stream().filter("accepted"::equals).count();
                Map<String, Long> acceptedByGate = new TreeMap<>();
                madeByGate.forEach((g, ms) -> acceptedByGate.put(g, ms.stream()
                        .filter(m -> "accepted".equals(expected.get(m.scan().scanId()))).count()));
                // the overall figures and the gates' are separate items: wait until both have counted the crowd
                await(() -> accepted == acceptedScans(stats(stack, "")) && accepted == ((Map<?, ?>) stats(stack, "/gates")
                        .get("gates")).values().stream().mapToLong(gate -> count((Map<?, ?>) gate, "totalProcessed")).sum(),
                        "the statistics count " + accepted + " accepted");
                Map<String, Object> stats = stats(stack, "");
                Map<?, ?> byGate = (Map<?, ?>) stats(stack, "/gates").get("gates");
                for (String g : GATES) {
                    Map<?, ?> gate = (Map<?, ?>) byGate.get(g);
                    assertEquals(acceptedByGate.get(g), ((Number) gate.get("totalProcessed")).longValue(), g);
                    Map<?, ?> mismatches = (Map<?, ?>) gate.get("edgeMismatches");
                    long letIn = g.equals(OFFLINE) ? 1 : 0;
                    assertEquals(letIn, count(mismatches, REFUSED_LET_IN), g + " " + mismatches);
                    assertEquals(0, count(mismatches, ACCEPTED_KEPT_OUT), g + " " + mismatches);
                }
                assertEquals(1L, count((Map<?, ?>) ((Map<?, ?>) stats.get("overall")).get("edgeMismatches"), "total"));
                assertTrue(accepted > 150, "a crowd, not a handful: " + accepted);
            } finally {
                for (GateClient gate : gates.values()) gate.close();
            }
        }
    }

    private GateClient open(LocalStack stack, String gateId) throws Exception {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", stack.broker().port(),
                        "edge-crowd-" + gateId), GateTopics.local("demo", gateId), data.resolve("gates").resolve(gateId))
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500));
        return new GateClient(config, new DecisionListener() {
            @Override
            public void onDecision(Decision decision, Optional<ScanTiming> timing) {
                decisions.put(decision.scanId(), decision);
            }

            @Override
            public void onCorrection(Correction correction) {
                corrections.computeIfAbsent(gateId, g -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(correction);
            }
        });
    }

    /** Each participant in turn at the gate, then the repeats (the same person scanned again at once). */
    private void scan(Map<String, GateClient> gates, String gateId, List<String> participants, String... repeats)
            throws Exception {
        List<String> all = new ArrayList<>(participants);
        all.addAll(List.of(repeats));
        for (String p : all) {
            Scan scan = Scan.now(Clock.systemUTC(), "demo", gateId, p, ScanMethod.QR_SCAN, Direction.ENTRY);
            GateAnswer answer = gates.get(gateId).answer(scan);
            madeByGate.computeIfAbsent(gateId, g -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(new Made(scan, deactivated, answer));
        }
    }

    private void awaitAllDecided(Map<String, GateClient> gates) throws InterruptedException {
        await(() -> madeByGate.values().stream().flatMap(List::stream).allMatch(m -> decisions.containsKey(m.scan().scanId()))
                && gates.values().stream().allMatch(g -> g.queuedScans() == 0), "every scan decided");
    }

    /**
     * The rules of docs/architecture.md as the cloud applies them when it decides: inactive (every 40th demo
     * participant, and the deactivated one in scans made after the change), then a duplicate of an accepted scan at the
     * same gate and direction (all within 5 minutes here), else accepted.
     */
    private Map<String, String> groundTruth() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (List<Made> byGate : madeByGate.values()) {
            Set<String> in = new HashSet<>();
            for (Made m : byGate) {
                String p = m.scan().participantId();
                boolean inactive = Integer.parseInt(p.substring(2)) % 40 == 0 || (p.equals(DEACTIVATED) && m.afterDeactivation());
                String outcome = inactive ? "rejected/participant_inactive" : in.add(p) ? "accepted" : "duplicate";
                expected.put(m.scan().scanId(), outcome);
            }
        }
        return expected;
    }

    /** The case the issue names: a participant deactivated since the offline gate's last sync, scanned there since. */
    private Set<String> namedMismatches() {
        return madeByGate.get(OFFLINE).stream().filter(m -> m.afterDeactivation()
                && m.scan().participantId().equals(DEACTIVATED)).map(m -> m.scan().scanId()).collect(Collectors.toSet());
    }

    /** Scan ids whose stored outcome carries an edge mismatch beside the cloud's verdict. */
    private static Set<String> storedMismatches(LocalStack stack) {
        Set<String> ids = new HashSet<>();
        for (var item : stack.dynamo().scanPaginator(b -> b.tableName(stack.settings().scansTable())).items()) {
            if (item.containsKey("provisional") && item.get("provisional").hasM()
                    && item.get("provisional").m().containsKey("edgeMismatch")) {
                ids.add(item.get("scanId").s());
            }
        }
        return ids;
    }

    private static long count(Map<?, ?> section, String key) {
        Object v = section == null ? null : section.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static long acceptedScans(Map<String, Object> stats) {
        return ((Number) ((Map<?, ?>) stats.get("overall")).get("acceptedScans")).longValue();
    }

    /** The stats route ({@code section} "" for the event's overall figures, "/gates" for the gates'). */
    private Map<String, Object> stats(LocalStack stack, String section) {
        try {
            HttpResponse<String> r = organiser(stack, "GET", "/api/v1/events/demo/stats" + section, null);
            assertEquals(200, r.statusCode(), r.body());
            return JSON.std.mapFrom(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> organiser(LocalStack stack, String method, String path, String json) throws Exception {
        return StackSimulation.asOrganiser(stack, "organiser", List.of("demo"), method, path, json);
    }

    private static List<String> range(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) ids.add(String.format("P-%05d", i));
        return ids;
    }
}
