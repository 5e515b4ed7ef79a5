package com.headcount.local.stack;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.iot.IotGateFeedback;
import com.headcount.adapters.webhook.WebhookConfig;
import com.headcount.core.stats.StatisticsView;
import com.headcount.core.time.Sleeper;
import com.headcount.handlers.AlertDeliveryFunction;
import com.headcount.handlers.ApiFunction;
import com.headcount.handlers.ApiSettings;
import com.headcount.handlers.ApiWiring;
import com.headcount.handlers.DeliverySettings;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.StatsClockFunction;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.handlers.StatsWiring;
import com.headcount.handlers.Wiring;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.KinesisLocal;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.gateway.LocalApiGateway;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.lambda.EventSourceMappingConfiguration;
import com.headcount.local.lambda.KinesisEventSourceMapping;
import com.headcount.local.stack.StackOptions.Service;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The whole Headcount flow on one machine (DESIGN.md section 5): emulators, the IoT Core stand-in with its topic
 * rule, every function behind its event source mapping, the dashboard; then, unless told not to, the crowd
 * simulator. {@code bin/local} runs {@link #main}; tests call {@link #start} the same way.
 */
public final class LocalStack implements AutoCloseable {

    public static final int SCANS_SHARDS = 2;
    public static final int RECORDED_SHARDS = 2;

    private final StackOptions options;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final HeadcountSettings settings = HeadcountSettings.defaults();
    private final StatsSettings statsSettings = StatsSettings.from(java.util.Map.of());
    private DynamoDbClient dynamo;
    private KinesisClient kinesis;
    private LocalBroker broker;
    private DashboardServer dashboard;
    private LocalApiGateway apiGateway;
    private final List<KinesisEventSourceMapping> mappings = new ArrayList<>();

    private LocalStack(StackOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "headcount-local-logback.xml");
        }
        quietLogs();
        Path root = Path.of(System.getProperty("headcount.root", "")).toAbsolutePath();
        StackOptions options;
        try {
            options = StackOptions.parse(List.of(args), System.getenv(), root);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack;
        long began = System.nanoTime();
        try {
            stack = start(options, System.out);
        } catch (Ports.PortInUse e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(System.lineSeparator() + "stopping everything the stack started...");
            stack.close();
            stopped.countDown();
        }));
        System.out.printf("started in %.1f s%n", (System.nanoTime() - began) / 1e9);
        if (options.simulator()) {
            new StackSimulation(stack, System.out).run(options.simulatedParticipants(),
                    Duration.ofSeconds(options.simulationSeconds()));
        }
        if (options.exitAfterStart()) {
            System.exit(0);
        }
        System.out.println("running; Ctrl-C stops it (data stays in " + options.dataFolder() + ")");
        stopped.await();
    }

    /** Starts everything, in order; if a step fails, what was started is stopped again. */
    public static LocalStack start(StackOptions requested, PrintStream out) throws Exception {
        StackOptions options = requested.withPorts(Ports.claim(requested.ports()));
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll(out);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startAll(PrintStream out) throws Exception {
        Path data = Files.createDirectories(options.dataFolder());
        Path logs = Files.createDirectories(data.resolve("logs"));
        out.println("data folder " + data);
        var dynaliteStart = CompletableFuture.supplyAsync(() -> Dynalite.builder()
                .port(options.port(Service.DYNAMODB)).dataDirectory(data.resolve("dynamodb")).logDirectory(logs).start());
        var kinesisStart = CompletableFuture.supplyAsync(() -> KinesisLocal.builder()
                .port(options.port(Service.KINESIS)).dataDirectory(data.resolve("kinesis")).logDirectory(logs).start());
        Dynalite dynalite = started(join(dynaliteStart, kinesisStart));
        KinesisLocal kinesisLocal = started(join(kinesisStart, null));

        AwsClients clients = LocalAws.clients(dynalite.endpoint(), kinesisLocal.endpoint());
        dynamo = clients.dynamoDb();
        kinesis = clients.kinesis();
        LocalResources.createTables(dynamo, settings);
        LocalResources.createStream(kinesis, LocalResources.SCANS_STREAM, SCANS_SHARDS);
        LocalResources.createStream(kinesis, settings.attendanceRecordedStream(), RECORDED_SHARDS);
        LocalResources.createStream(kinesis, statsSettings.statisticsUpdatesStream(), 1);
        new EventLoader(dynamo, settings.referenceTable()).loadDemo(Instant.now());

        // The functions first, so the broker's first scan already has a reader.
        IotDataPlaneStandIn[] dataPlane = new IotDataPlaneStandIn[1];
        var feedbackClient = clients.iotDataPlane(java.net.URI.create("http://127.0.0.1:" + options.port(Service.IOT_DATA)));
        for (FunctionMapping function : functions(new IotGateFeedback(feedbackClient, Wiring.FEEDBACK_DEADLINE))) {
            var mapping = new KinesisEventSourceMapping(LocalAws.kinesis(kinesisLocal.endpoint()),
                    EventSourceMappingConfiguration.builder()
                            .streamName(function.streamName())
                            .functionName(function.functionName())
                            .batchSize(function.batchSize())
                            // every start reads the stream again from its start: a record put just before the last
                            // stop is decided now, and one decided before gets its stored outcome again
                            .startingPosition(EventSourceMappingConfiguration.StartingPosition.TRIM_HORIZON)
                            .maximumRetryAttempts(-1)
                            .bisectBatchOnFunctionError(true)
                            .reportBatchItemFailures(true)
                            .pollInterval(Duration.ofMillis(20))
                            .build(), function.handler());
            mappings.add(started(mapping.start()));
        }

        // the statistics clock, as the EventBridge schedule runs it in AWS
        started(ScheduledFunction.every(Duration.ofMinutes(1), "StatsClockFunction", new StatsClockFunction(
                StatsWiring.clock(dynamo, kinesis, statsSettings, Clock.systemUTC(), Sleeper.REAL))));

        broker = started(LocalBroker.start(options.port(Service.MQTT), data.resolve("mqtt"),
                new TopicRule("", LocalResources.SCANS_STREAM), kinesis));
        dataPlane[0] = started(IotDataPlaneStandIn.start(options.port(Service.IOT_DATA), broker));
        dashboard = started(DashboardServer.start(options.port(Service.DASHBOARD), outcomes()));

        LocalTokens tokens = LocalTokens.inDataFolder(data, Clock.systemUTC());
        var api = new ApiFunction(ApiWiring.services(dynamo, kinesis,
                new ApiSettings(settings, ApiSettings.LAMBDA_SYNC_PAYLOAD_BYTES, 4), statistics(), Clock.systemUTC()));
        apiGateway = started(LocalApiGateway.start(options.port(Service.API), api, tokens.verifier(), Clock.systemUTC()));

        out.println();
        out.println("  MQTT broker (IoT Core)   mqtt://127.0.0.1:" + broker.port()
                + "   gates publish attendance/{eventId}/gates/{gateId}/scans");
        out.println("  IoT data plane           " + dataPlane[0].endpoint() + "   (decisions back to gates)");
        out.println("  DynamoDB (dynalite)      " + dynalite.endpoint());
        out.println("  Kinesis (kinesis-local)  " + kinesisLocal.endpoint() + "   streams scans, "
                + settings.attendanceRecordedStream() + ", " + statsSettings.statisticsUpdatesStream());
        for (FunctionMapping f : functions(null)) {
            out.println("  " + String.format("%-24s", f.functionName()) + " on " + f.streamName()
                    + " (batch " + f.batchSize() + ")");
        }
        out.println("  StatsClockFunction       every minute (the statistics' clock)");
        out.println("  HTTP API                 " + apiGateway.endpoint() + "/api/v1   (docs/api.md, openapi.yaml)");
        out.println("  WebSocket API            not in this build yet (port " + options.port(Service.WEBSOCKET) + " kept free)");
        out.println("  demo event               '" + EventLoader.DEMO_EVENT + "' (gates north, south, east, vip; "
                + "participants P-00001..P-01000)");
        out.println();
        out.println("  An organiser token for every event (12 h), for the HTTP API:");
        out.println("  export TOKEN=" + tokens.mint("local-organizer", List.of("organizer"), List.of("*"), Duration.ofHours(12)));
        out.println("  (more tokens: export " + LocalTokens.KEY_VARIABLE + "=$(cat " + data.resolve("local-jwt.key")
                + ") and run com.headcount.local.gateway.LocalTokens ROLE EVENT)");
        out.println();
        out.println("  Dashboard: " + dashboard.url());
        out.println();
    }

    /**
     * Every function behind a stream, as the CDK app maps them. {@code feedback} is null when only the list is wanted.
     */
    private List<FunctionMapping> functions(IotGateFeedback feedback) {
        List<FunctionMapping> functions = new ArrayList<>();
        functions.add(new FunctionMapping("IngestFunction", LocalResources.SCANS_STREAM, 100, feedback == null ? null
                : new IngestFunction(Wiring.gatekeeper(dynamo, kinesis, settings, Clock.systemUTC()), feedback)));
        functions.add(new FunctionMapping("StatsFunction", settings.attendanceRecordedStream(), statsSettings.batchSize(),
                feedback == null ? null : new StatsFunction(StatsWiring.updater(dynamo, kinesis, statsSettings,
                        Clock.systemUTC(), Sleeper.REAL), statsSettings.batchSize())));
        // alerts go to webhooks only where HEADCOUNT_WEBHOOK_URLS names some (no EventBridge here): else no poller
        String webhooks = System.getenv(WebhookConfig.URLS_VARIABLE);
        if (webhooks != null && !webhooks.isBlank()) {
            functions.add(new FunctionMapping("AlertDeliveryFunction", statsSettings.statisticsUpdatesStream(), 100,
                    feedback == null ? null : new AlertDeliveryFunction(AlertDeliveryFunction.wiring(dynamo,
                            DeliverySettings.from(System.getenv()), null, Clock.systemUTC()))));
        }
        return functions;
    }

    private StatisticsView statistics() {
        return ApiWiring.statistics(dynamo, settings, Clock.systemUTC());
    }

    public StackOptions options() {
        return options;
    }

    public HeadcountSettings settings() {
        return settings;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public LocalBroker broker() {
        return broker;
    }

    public DashboardServer dashboard() {
        return dashboard;
    }

    public StoredOutcomes outcomes() {
        return new StoredOutcomes(dynamo, settings.scansTable());
    }

    /** Waits until every function has read its stream to the end as of now. */
    public void awaitCaughtUp(Duration timeout) {
        for (KinesisEventSourceMapping mapping : mappings) mapping.awaitCaughtUp(timeout);
    }

    /** Stops what was started, newest first. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("stopping " + next + " failed: " + e);
            }
        }
    }

    private <T extends AutoCloseable> T started(T component) {
        started.push(component);
        return component;
    }

    /** Waits for {@code first}; if it failed, still waits for {@code other} and stops it, so no process is left. */
    private static <T> T join(CompletableFuture<T> first, CompletableFuture<? extends AutoCloseable> other) throws Exception {
        try {
            return first.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (other != null) {
                try {
                    other.join().close();
                } catch (Exception ignored) {
                    // it failed too; its own message is less useful than the first one
                }
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The CRT gates and the ESM log through JUL: the console is for the stack's own lines and the progress bar. */
    static void quietLogs() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (var handler : root.getHandlers()) handler.setLevel(Level.WARNING);
    }
}
