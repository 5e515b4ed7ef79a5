package com.headcount.bench.coldstart;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoConnections;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.dashboard.DashboardConnection;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import com.headcount.handlers.StatsSettings;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.LocalResources;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What the function JVMs of {@code bin/bench coldstart} talk to: dynalite and the Kinesis stand-in with the stack's
 * tables and streams, the demo event, one dashboard connected to it, and an HTTP sink answering 200 where AWS has the
 * IoT data plane (the gates' decisions) and the WebSocket {@code @connections} API (the broadcast). Each function
 * gets a fresh first event per JVM (a new scan, a new sequence number) so no run finds the work of the one before.
 */
final class ColdStartStack implements AutoCloseable {

    static final List<String> FUNCTIONS = List.of("IngestFunction", "StatsFunction", "StatsClockFunction",
            "ApiFunction", "PublishRetryFunction", "DashboardConnectFunction", "DashboardDisconnectFunction",
            "DashboardMessageFunction", "BroadcastFunction");
    static final String FLOOR = "hello-world";

    private static final String EVENT = EventLoader.DEMO_EVENT;
    private static final String CONNECTION = "coldstart-dashboard";

    private final Dynalite dynalite;
    private final EmulatorProcess kinesisEmulator;
    private final HttpServer sink;
    private final String broadcastRecord;
    private final AtomicLong sequence = new AtomicLong();

    private ColdStartStack(Dynalite dynalite, EmulatorProcess kinesisEmulator, HttpServer sink, String broadcastRecord) {
        this.dynalite = dynalite;
        this.kinesisEmulator = kinesisEmulator;
        this.sink = sink;
        this.broadcastRecord = broadcastRecord;
    }

    static ColdStartStack start(Path data, Path root) throws IOException {
        Path logs = Files.createDirectories(data.resolve("logs"));
        Dynalite dynalite = Dynalite.builder().dataDirectory(data.resolve("dynamodb")).logDirectory(logs).start();
        EmulatorProcess kinesisEmulator = null;
        HttpServer sink = null;
        try {
            KinesisEmulator emulator = KinesisEmulator.configured();
            kinesisEmulator = emulator.start(0, data.resolve(emulator.label()), logs);
            sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            sink.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            sink.start();
            HeadcountSettings settings = HeadcountSettings.defaults();
            try (DynamoDbClient dynamo = LocalAws.dynamoDb(dynalite.endpoint());
                 KinesisClient kinesis = LocalAws.kinesis(kinesisEmulator.endpoint())) {
                LocalResources.createTables(dynamo, settings);
                LocalResources.createStream(kinesis, LocalResources.SCANS_STREAM, 1);
                LocalResources.createStream(kinesis, settings.attendanceRecordedStream(), 1);
                LocalResources.createStream(kinesis, StatsSettings.from(Map.of()).statisticsUpdatesStream(), 1);
                new EventLoader(dynamo, settings.referenceTable()).loadDemo(Instant.now());
                Instant now = Instant.now();
                new DynamoConnections(dynamo, DynamoConnections.DEFAULT_TABLE, Clock.systemUTC()).add(
                        new DashboardConnection(CONNECTION, EVENT, "coldstart", Set.of("overall", "gates"), now,
                                now.plus(Duration.ofDays(1))));
            }
            String update = Files.readString(root.resolve("events/statistics-updates-stats-updated.json"))
                    .replace("\"demo-2026\"", "\"" + EVENT + "\"");
            return new ColdStartStack(dynalite, kinesisEmulator, sink, update);
        } catch (IOException | RuntimeException e) {
            if (sink != null) sink.stop(0);
            if (kinesisEmulator != null) kinesisEmulator.close();
            dynalite.close();
            throw e;
        }
    }

    /** A function JVM's whole environment, as the CDK app sets it (names left at their defaults) plus the endpoints. */
    Map<String, String> environment() {
        String sinkUrl = "http://127.0.0.1:" + sink.getAddress().getPort();
        return Map.of(
                "AWS_REGION", LocalAws.REGION.id(),
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                // no profile files in Lambda: the SDK must not find the developer's
                "AWS_CONFIG_FILE", "/nonexistent/config",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials",
                "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString(),
                "AWS_ENDPOINT_URL_KINESIS", kinesisEmulator.endpoint().toString(),
                "IOT_DATA_ENDPOINT", sinkUrl,
                "HEADCOUNT_STAGE", "dev",
                "WEBSOCKET_CALLBACK_URL", sinkUrl);
    }

    /** The next first event for {@code function}: every call a new scan, connection or sequence number. */
    Invocation invocation(String function) {
        long n = sequence.incrementAndGet();
        if (function.equals(FLOOR)) {
            return new Invocation(FLOOR, HelloFunction.class.getName(), Invocation.Kind.SCHEDULE, "-");
        }
        String scan = scan(n);
        return switch (function) {
            case "IngestFunction" -> Invocation.of(function, Invocation.Kind.KINESIS, record(n,
                    GateMessage.toRecord(EVENT, "north", scan.getBytes(StandardCharsets.UTF_8))));
            case "StatsFunction" -> Invocation.of(function, Invocation.Kind.KINESIS, record(n, accepted(scan, n)));
            case "BroadcastFunction" -> Invocation.of(function, Invocation.Kind.KINESIS,
                    record(n, broadcastRecord.getBytes(StandardCharsets.UTF_8)));
            case "ApiFunction" -> Invocation.of(function, Invocation.Kind.HTTP, "POST /api/v1/attendance/record " + scan);
            case "StatsClockFunction", "PublishRetryFunction" -> Invocation.of(function, Invocation.Kind.SCHEDULE, "-");
            case "DashboardConnectFunction" -> Invocation.of(function, Invocation.Kind.WEBSOCKET,
                    "conn-" + n + " eventId=" + EVENT + "&ticket=never-issued-" + n);
            case "DashboardDisconnectFunction" -> Invocation.of(function, Invocation.Kind.WEBSOCKET, "conn-" + n + " -");
            case "DashboardMessageFunction" -> Invocation.of(function, Invocation.Kind.WEBSOCKET,
                    CONNECTION + " - {\"action\":\"ping\"}");
            default -> throw new IllegalArgumentException("no first event for " + function + "; known: " + FUNCTIONS);
        };
    }

    /** A participant of the demo event at the north gate, now: accepted the first time, a duplicate after. */
    private static String scan(long n) {
        return String.format("{\"scanId\":\"coldstart-%d-%d\",\"eventId\":\"%s\",\"participantId\":\"P-%05d\","
                        + "\"gateId\":\"north\",\"timestamp\":\"%s\",\"method\":\"qr_scan\",\"direction\":\"entry\"}",
                ProcessHandle.current().pid(), n, EVENT, 1 + n % 999, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static byte[] accepted(String scan, long n) {
        if (!(new ScanParser().parse(scan.getBytes(StandardCharsets.UTF_8)) instanceof ParsedScan.Valid valid)) {
            throw new IllegalStateException("the bench's own scan does not parse: " + scan);
        }
        Instant now = Instant.now();
        return OutcomeJson.toBytes(Outcome.accepted("coldstart-" + n, valid.scan(), now, now));
    }

    /** {@code SEQUENCE:BASE64}: sequence numbers grow per JVM, as a shard's do. */
    private String record(long n, byte[] data) {
        return (System.currentTimeMillis() * 1000 + n) + ":" + Base64.getEncoder().encodeToString(data);
    }

    @Override
    public void close() {
        sink.stop(0);
        kinesisEmulator.close();
        dynalite.close();
    }
}
