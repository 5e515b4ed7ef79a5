package com.headcount.bench.core;

import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import com.headcount.core.scan.ScanParser;
import com.headcount.core.stats.AlertRules;
import com.headcount.core.stats.InMemoryStatisticsStore;
import com.headcount.core.stats.Occurrence;
import com.headcount.core.stats.Publication;
import com.headcount.core.stats.StatsUpdater;
import com.headcount.core.stats.StreamedScan;
import com.headcount.testing.InMemoryStores;
import com.headcount.testing.MutableClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The core's speed with its stores in memory (JMH; {@code bin/bench core}): one thread, so a score is per core. Every
 * operation is a batch of {@value #BATCH} scans, as a stream batch hands them over, and the scores are per scan.
 *
 * <ul>
 *   <li>{@code decide}: {@link Gatekeeper} on a batch of a crowd: 70 % first scans of a participant at a gate,
 *       25 % repeats within the window (BLE, double QR), 5 % rejects (unknown participant, closed gate);</li>
 *   <li>{@code aggregate}: {@link StatsUpdater} counting a batch of accepted scans of that crowd;</li>
 *   <li>{@code parse} and {@code outcomeJson}: the bytes at each end (the rule's envelope to a scan; the outcome to
 *       the attendance-recorded record and back), which the handlers add around the core.</li>
 * </ul>
 * Time moves 20 ms per scan; the stores start empty on every iteration, so they stay the size of a busy event's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoreSpeed {

    static final int BATCH = 100;
    static final int PARTICIPANTS = 100_000;
    private static final String EVENT = "bench";
    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
    private static final List<String> GATES = List.of("north", "south", "east", "vip");

    private InMemoryStores.Reference reference;
    private MutableClock clock;
    private Gatekeeper gatekeeper;
    private InMemoryStatisticsStore statistics;
    private StatsUpdater updater;
    private long scans;
    private long sequence;
    private byte[][] envelopes;
    private Outcome[] outcomes;
    private final ScanParser parser = new ScanParser();

    @Setup(Level.Trial)
    public void event() {
        reference = new InMemoryStores.Reference()
                .put(new ReferenceKey.OfEvent(EVENT), AttendanceEvent.withDefaults(EVENT, START,
                        START.plus(Duration.ofHours(12)), ZoneId.of("Europe/Berlin")))
                .put(new ReferenceKey.OfGate(EVENT, "closed"), new Gate(EVENT, "closed", "Closed", false, 10));
        for (String gate : GATES) reference.put(new ReferenceKey.OfGate(EVENT, gate), new Gate(EVENT, gate, gate, true, 40));
        for (int p = 0; p < PARTICIPANTS; p++) {
            reference.put(new ReferenceKey.OfParticipant(EVENT, participant(p)), new Participant(EVENT, participant(p), "active"));
        }
        envelopes = new byte[BATCH][];
        outcomes = new Outcome[BATCH];
        for (int i = 0; i < BATCH; i++) {
            Scan scan = scan(i, participant(i), GATES.get(i % GATES.size()), START.plusSeconds(i));
            envelopes[i] = GateMessage.toRecord(EVENT, scan.gateId(), String.format("{\"scanId\":\"%s\",\"eventId\":\"%s\","
                    + "\"participantId\":\"%s\",\"gateId\":\"%s\",\"timestamp\":\"2026-11-26T09:00:%02d+01:00\","
                    + "\"method\":\"ble_auto\",\"direction\":\"entry\"}", scan.scanId(), EVENT, scan.participantId(),
                    scan.gateId(), i % 60).getBytes(StandardCharsets.UTF_8));
            outcomes[i] = Outcome.accepted("shard-0:" + i, scan, scan.scannedAt(), scan.scannedAt());
        }
    }

    @Setup(Level.Iteration)
    public void emptyStores() {
        clock = new MutableClock(START);
        gatekeeper = new Gatekeeper(reference, new LaneWindow(), new InMemoryStores.Log(), new InMemoryStores.Published(),
                clock);
        statistics = new InMemoryStatisticsStore();
        updater = new StatsUpdater(reference, reference, statistics, new AlertOutbox(statistics, List.of()),
                Publication.none(), AlertRules.STANDARD, clock, clock.sleeper(),
                new Random(1));
        scans = 0;
        sequence = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Gatekeeper.BatchResult decide() {
        List<Gatekeeper.Arrival> arrivals = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long n = scans++;
            Instant at = START.plusMillis(20 * n);
            Scan scan;
            if (i % 20 == 19) {
                // a reject: every other one an unknown participant, the rest at a closed gate
                scan = (n / 20) % 2 == 0 ? scan(n, "unknown-" + n, "north", at) : scan(n, participant(n), "closed", at);
            } else if (i % 4 == 3) {
                // a repeat of the scan just before: a BLE reader seeing the badge again a second later
                Scan first = ((ParsedScan.Valid) arrivals.get(i - 1).parsed()).scan();
                scan = scan(n, first.participantId(), first.gateId(), first.scannedAt().plusSeconds(1));
            } else {
                scan = scan(n, participant(n), GATES.get((int) (n % GATES.size())), at);
            }
            arrivals.add(new Gatekeeper.Arrival("shard-0:" + n, new ParsedScan.Valid(scan), scan.scannedAt()));
        }
        clock.set(START.plusMillis(20 * scans));
        return gatekeeper.decide(arrivals);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public StatsUpdater.BatchResult aggregate() {
        List<StreamedScan> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long n = scans++;
            Instant at = START.plusMillis(20 * n);
            Scan scan = scan(n, participant(n), GATES.get((int) (n % GATES.size())), at);
            batch.add(new StreamedScan(new Occurrence("shard-0", BigInteger.valueOf(++sequence)),
                    Outcome.accepted("shard-0:" + n, scan, at, at)));
        }
        clock.set(START.plusMillis(20 * scans));
        return updater.apply("shard-0", BigInteger.valueOf(sequence), batch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int parse() {
        int valid = 0;
        for (byte[] envelope : envelopes) {
            if (parser.parse(GateMessage.fromRecord(envelope)) instanceof ParsedScan.Valid) valid++;
        }
        return valid;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int outcomeJson() {
        int bytes = 0;
        for (Outcome outcome : outcomes) bytes += OutcomeJson.fromBytes(OutcomeJson.toBytes(outcome)).scanId().length();
        return bytes;
    }

    /** A participant of the crowd; the same one comes back after {@value #PARTICIPANTS} scans (over half an hour). */
    private static String participant(long n) {
        return "p-" + (n % PARTICIPANTS);
    }

    private static Scan scan(long n, String participant, String gate, Instant at) {
        return new Scan("s-" + n, EVENT, participant, gate, at, "+01:00", ScanMethod.BLE_AUTO, Direction.ENTRY, null,
                Map.of());
    }
}
