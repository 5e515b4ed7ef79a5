package com.headcount.bench.edge;

import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.allowlist.AllowListDelta;
import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Direction;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import com.headcount.device.edge.AllowListSync;
import com.headcount.device.edge.GateAnswer;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/bench edge}: the allow-list at an event's size (bytes on the wire and on disk, load and verify time, heap,
 * a delta's apply time) and the gate's provisional answer, from the moment the gate has the scan to the moment it
 * answers (decided, and on disk with its decision), at a steady rate, online (connected to a broker, sending as it
 * goes) and offline (no broker: every scan queues). Loopback only.
 */
public final class EdgeBenchmark implements Benchmark {

    private static final String EVENT = "evt-bench-edge";
    private static final Instant START = Instant.parse("2026-11-26T09:00:00Z");

    @Override
    public String name() {
        return "edge";
    }

    @Override
    public String summary() {
        return "the gate's allow-list (size, load, heap), its provisional answer's latency online and offline; --stack yes: "
                + "the cloud's final decision at the gate, and an offline gate's backlog drained";
    }

    @Override
    public String usage() {
        return """
                bin/bench edge [--participants 100000] [--scans 1000] [--rate 50] [--loads 5]
                  --participants  the allow-list's size
                  --scans         scans per mode (online, offline), at --rate a second
                  --loads         how many times the list is loaded and verified (the median is shown)
                exits 1 when the p99 of either mode is above 50 ms

                bin/bench edge --stack yes [--gates 1] [--rate 50] [--stack-scans 3000] [--warmup 500] [--backlog 3000]
                               [--stack-participants 10000]
                  the cloud's final decision at the gate, on a local stack in its own JVM: --gates gates at --rate
                  scans/s each, timed from the scan taken to the decision on the gate's decisions topic (p50, p99),
                  the first --warmup scans of each gate not counted; then a gate that made --backlog scans offline
                  (at --rate), from its reconnect until all have their final decision
                exits 1 when a decision never came""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(args, Map.of("participants", "100000", "scans", "1000", "rate", "50", "loads", "5",
                "stack", "no", "gates", "1", "stack-scans", "3000", "warmup", "500", "backlog", "3000",
                "stack-participants", "10000"));
        if (o.text("stack").equals("yes")) {
            out.printf("bin/bench edge --stack yes --gates %d --rate %d --stack-scans %d --warmup %d --backlog %d "
                            + "--stack-participants %d   (%d cores, %s)%n", o.integer("gates"), o.integer("rate"),
                    o.integer("stack-scans"), o.integer("warmup"), o.integer("backlog"), o.integer("stack-participants"),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            return new FinalDecisions(o.integer("stack-participants"), o.integer("rate"), o.integer("gates"),
                    o.integer("stack-scans"), o.integer("warmup"), o.integer("backlog")).run(out);
        }
        if (!o.text("stack").equals("no")) throw new IllegalArgumentException("--stack is yes or no");
        int participants = o.integer("participants");
        int scans = o.integer("scans");
        int rate = o.integer("rate");
        out.printf("bin/bench edge --participants %d --scans %d --rate %d --loads %d   (%d cores, %s)%n", participants,
                scans, rate, o.integer("loads"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        AllowList list = build(participants, 1);
        byte[] text = AllowListCodec.canonical(list);
        byte[] wire = AllowListCodec.gzip(text);
        String hash = AllowListCodec.sha256(text);
        long[] loads = new long[o.integer("loads")];
        for (int i = 0; i < loads.length; i++) {
            long t0 = System.nanoTime();
            AllowListCodec.verified(wire, EVENT, 1, hash);
            loads[i] = System.nanoTime() - t0;
        }
        Arrays.sort(loads);
        long heap = heapOf(wire, hash);
        AllowList changed = build(participants, 2, "P-%06d".formatted(participants / 2));
        AllowListDelta delta = AllowListDelta.between(list, changed);
        long t0 = System.nanoTime();
        delta.applyTo(list);
        long deltaApply = System.nanoTime() - t0;

        out.println();
        out.println("| allow-list at " + participants + " participants | |");
        out.println("|---|---|");
        out.printf("| canonical text (hashed) | %,d bytes |%n", text.length);
        out.printf("| on the wire and on disk (gzip) | %,d bytes |%n", wire.length);
        out.printf("| load + verify (gunzip, SHA-256, parse), median of %d | %.1f ms |%n", loads.length, loads[loads.length / 2] / 1e6);
        out.printf("| heap held by the list | %.1f MB |%n", heap / 1e6);
        out.printf("| one change as a delta | %,d bytes; applied and verified in %.1f ms |%n", delta.toJson().length, deltaApply / 1e6);

        Path folder = Files.createTempDirectory("headcount-bench-edge");
        int code = 0;
        EmbeddedHiveMQ broker = startBroker(folder.resolve("broker"), freePort());
        try {
            int brokerPort = Integer.parseInt(brokerPortOf(folder.resolve("broker")));
            double[] online = answers(list, wire, hash, folder.resolve("online"), brokerPort, scans, rate, true);
            double[] offline = answers(list, wire, hash, folder.resolve("offline"), freePort(), scans, rate, false);
            out.println();
            out.printf("| provisional answer, %d scans at %d/s | p50 | p99 | max |%n", scans, rate);
            out.println("|---|---|---|---|");
            out.printf("| online (connected, sending) | %.2f ms | %.2f ms | %.2f ms |%n", pct(online, 50), pct(online, 99), online[online.length - 1]);
            out.printf("| offline (no broker, queueing) | %.2f ms | %.2f ms | %.2f ms |%n", pct(offline, 50), pct(offline, 99), offline[offline.length - 1]);
            if (pct(online, 99) > 50 || pct(offline, 99) > 50) code = 1;
        } finally {
            broker.stop().get(30, TimeUnit.SECONDS);
            broker.close();
        }
        return code;
    }

    private static double[] answers(AllowList list, byte[] wire, String hash, Path folder, int port, int scans, int rate,
                                    boolean online) throws Exception {
        GateTopics topics = GateTopics.local(EVENT, "north");
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", port, "bench-" + (online ? "on" : "off")),
                topics, folder.resolve("queue")).withReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(1));
        Clock atTheEvent = Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC);
        double[] millis = new double[scans];
        try (GateClient gate = new GateClient(config, (d, t) -> { }, atTheEvent, url -> {
            throw new java.io.IOException("the bench loads the list itself");
        })) {
            gate.edge().store().replace(list, wire, hash);
            gate.start();
            if (online) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!gate.isConnected() && System.nanoTime() < deadline) Thread.sleep(20);
                if (!gate.isConnected()) throw new IllegalStateException("the gate did not connect to the bench's broker");
            }
            Random random = new Random(42);
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            OffsetDateTime at = OffsetDateTime.ofInstant(atTheEvent.instant(), ZoneOffset.UTC);
            for (int i = 0; i < scans; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                next += interval;
                // a few in ten are the same participants again: duplicates take the same path to their answer
                String participant = "P-%06d".formatted(1 + random.nextInt(random.nextInt(10) < 2 ? 50 : list.participantCount()));
                Scan scan = new Scan("bench-" + online + "-" + i, EVENT, participant, "north", at, ScanMethod.BLE_AUTO,
                        Direction.ENTRY, null, null);
                long t0 = System.nanoTime();
                GateAnswer answer = gate.answer(scan);
                millis[i] = (System.nanoTime() - t0) / 1e6;
                if (answer.provisional().isEmpty()) throw new IllegalStateException("not decided: " + answer.describe());
            }
            if (online) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (gate.queuedScans() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            }
        }
        Arrays.sort(millis);
        return millis;
    }

    static AllowList build(int participants, long version, String... cancelled) {
        List<Participant> ps = new ArrayList<>(participants);
        List<String> off = List.of(cancelled);
        for (int i = 1; i <= participants; i++) {
            String id = "P-%06d".formatted(i);
            ps.add(new Participant(EVENT, id, i % 40 == 0 || off.contains(id) ? "cancelled" : "active"));
        }
        List<Gate> gates = new ArrayList<>();
        for (int g = 1; g <= 20; g++) gates.add(new Gate(EVENT, g == 1 ? "north" : "gate-" + g, null, true, 30));
        return AllowList.of(AttendanceEvent.withDefaults(EVENT, START, START.plus(Duration.ofHours(10)), ZoneId.of("UTC")),
                version, START, EdgePolicy.defaults(), gates, ps);
    }

    /** Heap retained by a loaded list: used heap after a full collection, with and without it. */
    private static long heapOf(byte[] wire, String hash) throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        settle();
        long before = rt.totalMemory() - rt.freeMemory();
        AllowList held = AllowListCodec.verified(wire, EVENT, 1, hash);
        settle();
        long after = rt.totalMemory() - rt.freeMemory();
        if (held.participantCount() < 0) throw new IllegalStateException(); // keeps it reachable until here
        return after - before;
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static EmbeddedHiveMQ startBroker(Path folder, int port) throws Exception {
        Path config = Files.createDirectories(folder.resolve("conf"));
        Files.writeString(config.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(config)
                .withDataFolder(Files.createDirectories(folder.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(folder.resolve("extensions")))
                .withoutLoggingBootstrap().build();
        hivemq.start().get(30, TimeUnit.SECONDS);
        return hivemq;
    }

    private static String brokerPortOf(Path folder) throws java.io.IOException {
        String xml = Files.readString(folder.resolve("conf").resolve("config.xml"));
        return xml.replaceAll("(?s).*<port>(\\d+)</port>.*", "$1");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
