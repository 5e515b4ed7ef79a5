package com.headcount.bench.chaos;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.bench.load.Percentiles;
import com.headcount.device.Direction;
import com.headcount.device.Scan;
import com.headcount.device.simulator.CrowdScenario;
import com.headcount.device.simulator.GroundTruth;
import com.headcount.device.simulator.PlannedScan;
import com.headcount.handlers.ApiWiring;
import com.headcount.local.emulator.LocalAws;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The five checks of a chaos run, read from what the stack stored (the bench's own client, no faults) and what the
 * gates were told, and the per-fault table. Each check keeps its failures' scan ids so a report can name them.
 */
public final class ChaosChecks {

    /** One check: passed or not, a line of figures, and up to a few examples. */
    public record Check(String name, boolean passed, String figures, List<String> examples) {}

    /** One row of the per-fault table. */
    public record Row(Fault fault, long injected, long made, long lost, long doubled, long neverTold, long flowsAgainMs,
                      Percentiles during, Percentiles after, String note) {}

    /** @param arrival the stream position the scan was first decided from (its sequence number), null if unknown */
    private record Item(String outcome, String reason, boolean unpublished, java.math.BigInteger arrival) {}

    private final CrowdScenario scenario;
    private final ChaosRun.Tracker tracker;
    private final List<ChaosRun.Window> windows;
    private final URI dynamoDb;
    private final PrintStream out;
    public final List<Check> checks = new ArrayList<>();
    public final List<Row> rows = new ArrayList<>();

    ChaosChecks(CrowdScenario scenario, ChaosRun.Tracker tracker, List<ChaosRun.Window> windows, URI dynamoDb,
                PrintStream out) {
        this.scenario = scenario;
        this.tracker = tracker;
        this.windows = windows;
        this.dynamoDb = dynamoDb;
        this.out = out;
    }

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    void run(IntSupplier gatesQueued) throws InterruptedException {
        HeadcountSettings settings = HeadcountSettings.defaults();
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(dynamoDb)) {
            Map<String, Scan> scans = new HashMap<>();
            for (PlannedScan p : scenario.allScans()) scans.put(p.scan().scanId(), p.scan());

            // the publish retry runs on the stack's clock: accepted scans not yet on their stream wait for it
            Map<String, List<Item>> items = read(dynamo, settings.scansTable());
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (items.values().stream().flatMap(List::stream).anyMatch(Item::unpublished) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                items = read(dynamo, settings.scansTable());
            }
            // judged in the order each gate's scans reached the stream (one shard per gate: the gate is the key)
            Map<String, java.math.BigInteger> arrival = new HashMap<>();
            items.forEach((id, stored) -> {
                if (stored.getFirst().arrival() != null) arrival.put(id, stored.getFirst().arrival());
            });
            Map<String, GroundTruth.Expected> truth = GroundTruth.inArrivalOrder(scenario, arrival).byScanId();
            accounting(items);
            groundTruth(items, truth);
            statistics(dynamo, settings, items, scans);
            told(items);
            failureQueues(dynamo, settings, items, gatesQueued.getAsInt());
            table(items);
        }
    }

    /** (1) made = accepted + duplicate + rejected, by scan id; lost 0, doubled 0. */
    private void accounting(Map<String, List<Item>> items) {
        long made = tracker.made();
        List<String> lost = tracker.madeAt.keySet().stream().filter(id -> !items.containsKey(id)).sorted().toList();
        List<String> doubled = items.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        List<String> foreign = items.keySet().stream().filter(id -> !tracker.madeAt.containsKey(id)).sorted().toList();
        Map<String, Long> byOutcome = items.values().stream().map(List::getFirst)
                .collect(Collectors.groupingBy(Item::outcome, TreeMap::new, Collectors.counting()));
        long accepted = byOutcome.getOrDefault("accepted", 0L);
        long duplicate = byOutcome.getOrDefault("duplicate", 0L);
        long rejected = byOutcome.getOrDefault("rejected", 0L);
        boolean ok = lost.isEmpty() && doubled.isEmpty() && foreign.isEmpty() && accepted + duplicate + rejected == made;
        List<String> examples = new ArrayList<>();
        lost.stream().limit(5).forEach(id -> examples.add("lost " + id));
        doubled.stream().limit(5).forEach(id -> examples.add("doubled " + id));
        foreign.stream().limit(5).forEach(id -> examples.add("not made " + id));
        checks.add(new Check("every scan accounted for exactly once", ok, String.format(
                "made %d (published %d); stored accepted %d + duplicate %d + rejected %d = %d%s; lost %d, doubled %d, "
                        + "stored but never made %d", made, tracker.publishes(), accepted, duplicate, rejected,
                accepted + duplicate + rejected, byOutcome.keySet().stream().anyMatch(o -> !List.of("accepted",
                        "duplicate", "rejected").contains(o)) ? " (other verdicts: " + byOutcome + ")" : "",
                lost.size(), doubled.size(), foreign.size()), examples));
    }

    /** (2) each stored outcome is the simulator's ground truth for that scan. */
    private void groundTruth(Map<String, List<Item>> items, Map<String, GroundTruth.Expected> truth) {
        List<String> wrong = new ArrayList<>();
        truth.forEach((id, expected) -> {
            List<Item> stored = items.get(id);
            if (stored == null) return; // counted as lost by check 1
            Item item = stored.getFirst();
            if (!expected.outcome().equals(item.outcome()) || !Objects.equals(expected.reason(), item.reason())) {
                wrong.add(id + ": expected " + expected.outcome() + (expected.reason() == null ? "" : " " + expected.reason())
                        + ", stored " + item.outcome() + (item.reason() == null ? "" : " " + item.reason()));
            }
        });
        long compared = truth.keySet().stream().filter(items::containsKey).count();
        checks.add(new Check("stored outcomes equal the ground truth", wrong.isEmpty() && compared == truth.size(),
                String.format("%d of %d scans compared, %d differ", compared, truth.size(), wrong.size()),
                wrong.stream().sorted().limit(5).toList()));
    }

    /**
     * (3) the statistics' counts equal a recomputation from the stored accepted outcomes (joined with the scans the
     * gates sent). The figures of the last minutes (trend, load, wait) depend on when they are read and are not
     * compared here; StatsGroundTruthTest compares them figure by figure.
     */
    @SuppressWarnings("unchecked")
    private void statistics(DynamoDbClient dynamo, HeadcountSettings settings, Map<String, List<Item>> items,
                            Map<String, Scan> scans) throws InterruptedException {
        List<Scan> accepted = items.entrySet().stream().filter(e -> e.getValue().getFirst().outcome().equals("accepted"))
                .map(e -> scans.get(e.getKey())).filter(Objects::nonNull).toList();
        Map<String, Object> expected = new TreeMap<>();
        expected.put("overall.acceptedScans", (long) accepted.size());
        expected.put("overall.entries", accepted.stream().filter(s -> s.direction() == Direction.ENTRY).count());
        Map<String, List<Scan>> byParticipant = accepted.stream().collect(Collectors.groupingBy(Scan::participantId));
        expected.put("overall.attended", byParticipant.values().stream()
                .filter(l -> l.stream().anyMatch(s -> s.direction() == Direction.ENTRY)).count());
        expected.put("overall.occupancy", byParticipant.values().stream().filter(l -> l.stream()
                .max(Comparator.comparing((Scan s) -> s.timestamp().toInstant()).thenComparing(Scan::scanId))
                .orElseThrow().direction() == Direction.ENTRY).count());
        expected.put("overall.totalParticipants", scenario.participants().stream().filter(p -> p.active()).count());
        for (var gate : scenario.gates()) {
            List<Scan> at = accepted.stream().filter(s -> s.gateId().equals(gate.gateId())).toList();
            expected.put("gates." + gate.gateId() + ".totalProcessed", (long) at.size());
            expected.put("gates." + gate.gateId() + ".methods", new TreeMap<>(at.stream()
                    .collect(Collectors.groupingBy(s -> s.method().wireName(), Collectors.counting()))));
        }
        expected.put("hourly", new TreeMap<>(accepted.stream().collect(Collectors.groupingBy(s -> ZonedDateTime.ofInstant(
                s.timestamp().toInstant(), scenario.timeZone()).truncatedTo(ChronoUnit.HOURS).toOffsetDateTime()
                .toInstant().toString(), Collectors.counting()))));

        var view = ApiWiring.statistics(dynamo, settings, Clock.systemUTC());
        Map<String, Object> got = Map.of();
        // the statistics function trails the decisions: wait until it has counted every accepted scan, or 3 minutes
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            got = view.snapshot(scenario.eventId()).map(ChaosChecks::figures).orElse(Map.of());
            if (Objects.equals(got.get("overall.acceptedScans"), expected.get("overall.acceptedScans"))) break;
            Thread.sleep(500);
        }
        // once they are all counted, a retried batch could still be counting some twice: read once more, settled
        got = view.snapshot(scenario.eventId()).map(ChaosChecks::figures).orElse(Map.of());
        List<String> differ = new ArrayList<>();
        for (var e : expected.entrySet()) {
            if (!Objects.equals(e.getValue(), got.get(e.getKey()))) {
                differ.add(e.getKey() + ": recomputed " + e.getValue() + ", statistics " + got.get(e.getKey()));
            }
        }
        checks.add(new Check("statistics equal a recomputation from the stored outcomes", differ.isEmpty(),
                String.format("%d figures compared (overall counts, per gate processed and methods, hourly counts; "
                        + "accepted %s), %d differ", expected.size(), expected.get("overall.acceptedScans"), differ.size()),
                differ.stream().limit(5).toList()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(Map<String, Object> snapshot) {
        Map<String, Object> f = new TreeMap<>();
        Map<String, Object> overall = (Map<String, Object>) snapshot.getOrDefault("overall", Map.of());
        for (String name : List.of("acceptedScans", "entries", "attended", "occupancy", "totalParticipants")) {
            Object v = overall.get(name);
            f.put("overall." + name, v instanceof Number n ? n.longValue() : v);
        }
        Map<String, Object> gates = (Map<String, Object>) snapshot.getOrDefault("gates", Map.of());
        gates.forEach((id, doc) -> {
            Map<String, Object> d = (Map<String, Object>) doc;
            Object total = d.get("totalProcessed");
            f.put("gates." + id + ".totalProcessed", total instanceof Number n ? n.longValue() : total);
            Map<String, Long> methods = new TreeMap<>();
            ((Map<String, Object>) d.getOrDefault("methods", Map.of())).forEach((m, c) -> {
                if (((Number) c).longValue() != 0) methods.put(m, ((Number) c).longValue());
            });
            f.put("gates." + id + ".methods", methods);
        });
        Map<String, Long> hourly = new TreeMap<>();
        for (Object o : (List<Object>) snapshot.getOrDefault("hourly", List.of())) {
            Map<String, Object> h = (Map<String, Object>) o;
            hourly.put(java.time.OffsetDateTime.parse((String) h.get("hour")).toInstant().toString(),
                    ((Number) h.get("count")).longValue());
        }
        f.put("hourly", hourly);
        return f;
    }

    /**
     * (4) each gate was told the stored decision of each of its scans, once per publish of it, except where a fault
     * hit the way back: a scan whose life (made to last told) overlaps a fault window may be told again (a retried
     * batch publishes again), and one overlapping a fault that dropped the gates' connections may never be told
     * (decisions are not kept for a disconnected gate).
     */
    private void told(Map<String, List<Item>> items) {
        long exact = 0, repeatedExplained = 0, missingExplained = 0, wrongDecision = 0;
        List<String> unexplained = new ArrayList<>();
        long end = System.nanoTime();
        for (var e : tracker.madeAt.entrySet()) {
            String id = e.getKey();
            int published = tracker.publishes.get(id).get();
            var tellsOf = tracker.tells.get(id);
            int told = tellsOf == null ? 0 : tellsOf.get();
            var decision = tracker.lastDecision.get(id);
            List<Item> stored = items.get(id);
            if (decision != null && stored != null && (!decision.outcome().equals(stored.getFirst().outcome())
                    || !Objects.equals(decision.reason(), stored.getFirst().reason()))) {
                wrongDecision++;
                unexplained.add(id + " told " + decision.outcome() + ", stored " + stored.getFirst().outcome());
                continue;
            }
            if (told == published) {
                exact++;
                continue;
            }
            long from = e.getValue();
            long to = tracker.lastTold.getOrDefault(id, end);
            boolean hitByAny = windows.stream().anyMatch(w -> overlaps(w, from, to));
            boolean hitByDisconnect = windows.stream().anyMatch(w -> w.fault().disconnectsGates && overlaps(w, from, to));
            if (told > published && hitByAny) {
                repeatedExplained++;
            } else if (told < published && hitByDisconnect) {
                missingExplained++;
            } else {
                unexplained.add(id + " (gate " + tracker.gateOf.get(id) + ") published " + published + ", told " + told);
            }
        }
        checks.add(new Check("every gate was told each of its decisions", unexplained.isEmpty(), String.format(
                "%d scans told once per publish; %d told more often in a fault's window; %d told less often in a window "
                        + "of a fault that dropped the gates' connections; %d told a decision other than the stored one; "
                        + "%d otherwise; %d decisions for scans not made", exact, repeatedExplained, missingExplained,
                wrongDecision, unexplained.size() - wrongDecision, tracker.foreign.get()),
                unexplained.stream().sorted().limit(5).toList()));
    }

    /** A fault's window, with a few seconds after its end for the batches it made retry. */
    private static boolean overlaps(ChaosRun.Window w, long from, long to) {
        return from <= w.endNanos() + Duration.ofSeconds(5).toNanos() && to >= w.startNanos();
    }

    /** (5) nothing waits where failures go: unpublished accepted scans, uncounted scans, gates' queues. */
    private void failureQueues(DynamoDbClient dynamo, HeadcountSettings settings, Map<String, List<Item>> items,
                               int gatesQueued) {
        long unpublished = items.values().stream().flatMap(List::stream).filter(Item::unpublished).count();
        int uncounted = dynamo.query(q -> q.tableName(settings.statisticsTable())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("UNCOUNTED#" + scenario.eventId())))).count();
        long unprocessable = items.values().stream().map(List::getFirst)
                .filter(i -> !List.of("accepted", "duplicate", "rejected").contains(i.outcome())).count();
        checks.add(new Check("nothing sits in a failure queue unexplained",
                unpublished == 0 && uncounted == 0 && unprocessable == 0 && gatesQueued == 0, String.format(
                "accepted but not on attendance-recorded %d; UNCOUNTED# %d; stored as unprocessable %d; "
                        + "still in the gates' disk queues %d", unpublished, uncounted, unprocessable, gatesQueued),
                List.of()));
    }

    private void table(Map<String, List<Item>> items) {
        for (int i = 0; i < windows.size(); i++) {
            ChaosRun.Window w = windows.get(i);
            long afterEnd = i + 1 < windows.size() ? windows.get(i + 1).startNanos() : Long.MAX_VALUE;
            long made = 0, lost = 0, doubled = 0, neverTold = 0;
            long flows = -1;
            for (var e : tracker.madeAt.entrySet()) {
                long at = e.getValue();
                Long told = tracker.firstTold.get(e.getKey());
                if (at >= w.startNanos() && told != null && tracker.live.get(e.getKey())) {
                    long since = told - w.startNanos();
                    if (flows < 0 || since < flows) flows = since;
                }
                if (at < w.startNanos() || at >= afterEnd) continue;
                made++;
                if (told == null) neverTold++;
                List<Item> stored = items.get(e.getKey());
                if (stored == null) lost++;
                else if (stored.size() > 1) doubled++;
            }
            rows.add(new Row(w.fault(), w.injected(), made, lost, doubled, neverTold, flows < 0 ? -1 : flows / 1_000_000,
                    tracker.latency(w.startNanos(), w.endNanos()), tracker.latency(w.endNanos(), afterEnd), w.note()));
        }
    }

    /** Every item of this event in the scans table, by scan id (a list: more than one would be a doubled scan). */
    private Map<String, List<Item>> read(DynamoDbClient dynamo, String table) {
        Map<String, List<Item>> byId = new LinkedHashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(table)
                    .projectionExpression("eventId, scanId, verdict, reason, scannedAt, unpublished, sourceId")
                    .exclusiveStartKey(from));
            for (var item : page.items()) {
                if (!item.containsKey("scannedAt") || !item.containsKey("eventId")
                        || !item.get("eventId").s().equals(scenario.eventId())) continue;
                byId.computeIfAbsent(item.get("scanId").s(), k -> new ArrayList<>()).add(new Item(item.get("verdict").s(),
                        item.containsKey("reason") ? item.get("reason").s() : null, item.containsKey("unpublished"),
                        sequenceOf(item.get("sourceId"))));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return byId;
    }

    /** The sequence number in a stream source ("shardId-…:sequence"); null for any other source. */
    private static java.math.BigInteger sequenceOf(AttributeValue sourceId) {
        if (sourceId == null || sourceId.s() == null) return null;
        String source = sourceId.s();
        int colon = source.lastIndexOf(':');
        if (colon < 0 || !source.startsWith("shardId-")) return null;
        try {
            return new java.math.BigInteger(source.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void print(PrintStream out) {
        out.println();
        out.println("| fault | injected | scans made (during + after) | lost | doubled | never told | "
                + "decisions flow again | p99 scan-to-decision during | p99 after |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            out.printf("| %s | %d | %d | %d | %d | %d | %s | %s | %s |%n", r.fault().label, r.injected(), r.made(), r.lost(),
                    r.doubled(), r.neverTold(), r.flowsAgainMs() < 0 ? "n/a" : String.format("%.1f s", r.flowsAgainMs() / 1000.0),
                    p99(r.during()), p99(r.after()));
        }
        rows.stream().filter(r -> !r.note().isEmpty()).forEach(r -> out.println("  " + r.fault().label + ": " + r.note()));
        out.println();
        for (Check c : checks) {
            out.printf("%s  %s: %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.figures());
            c.examples().forEach(x -> out.println("        " + x));
        }
    }

    private static String p99(Percentiles p) {
        return p.count() == 0 ? "n/a (no scans)" : String.format("%.2f s (%d)", p.p99() / 1e9, p.count());
    }
}
