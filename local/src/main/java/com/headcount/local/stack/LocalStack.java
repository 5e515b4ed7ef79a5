package com.headcount.local.stack;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.aws.RequestMeter;
import com.headcount.adapters.webhook.WebhookConfig;
import com.headcount.core.decision.Republisher;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.time.Sleeper;
import com.headcount.adapters.iot.IotAllowListChannel;
import com.headcount.core.allowlist.AllowLists;
import com.headcount.handlers.AlertDeliveryFunction;
import com.headcount.handlers.AllowListFunction;
import com.headcount.handlers.AllowListSettings;
import com.headcount.handlers.AllowListWiring;
import com.headcount.handlers.ApiFunction;
import com.headcount.handlers.Functions;
import com.headcount.handlers.DeliverySettings;
import com.headcount.handlers.FunctionTable;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.Settings;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.gateway.LocalApiGateway;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.gateway.LocalWebSocketGateway;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.lambda.Checkpoints;
import com.headcount.local.lambda.EventSourceMappingConfiguration;
import com.headcount.local.lambda.FunctionLog;
import com.headcount.local.lambda.KinesisEventSourceMapping;
import com.headcount.local.lambda.LocalSchedule;
import com.headcount.local.stack.StackOptions.Service;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The whole Headcount flow on one machine (docs/architecture.md, "The local stack"): emulators, the IoT Core
 * stand-in with its topic rule, every function behind its event source mapping, the dashboard; then, unless told
 * not to, the crowd simulator. {@code bin/local} runs {@link #main}; tests call {@link #start} the same way.
 */
public final class LocalStack implements AutoCloseable {

    public static final int SCANS_SHARDS = 2;
    public static final int RECORDED_SHARDS = 2;
    private static final Duration STOP_DRAIN = Duration.ofSeconds(20);
    /** The demo event's gate whose check-in link bin/local prints. */
    public static final String CHECK_IN_GATE = "north";

    private final StackOptions options;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final HeadcountSettings settings;
    private final StatsSettings statsSettings = StatsSettings.from(java.util.Map.of());
    /** The functions' settings: the defaults, with this stack's endpoints ({@link #functionSettings}). */
    private Settings functionSettings;
    private DynamoDbClient dynamo;
    private KinesisClient kinesis;
    private LocalBroker broker;
    private LocalAllowListBucket allowListBucket;
    private DashboardServer dashboard;
    private LocalApiGateway apiGateway;
    private volatile LocalWebSocketGateway webSockets;
    private AwsClients clients;
    private URI dynamoDbEndpoint;
    private URI kinesisEndpoint;
    private final List<KinesisEventSourceMapping> mappings = new ArrayList<>();
    /** Every request the functions, the API and the topic rule send to the emulators, by operation. */
    private final RequestMeter requests = new RequestMeter();
    /** Null unless a chaos run asked for one ({@link FaultHook#PROPERTY}). */
    private final FaultHook faults = FaultHook.configured();

    private LocalStack(StackOptions options) {
        this.options = options;
        this.settings = HeadcountSettings.from(Map.of("HEADCOUNT_STAGE", options.stage()));
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
                    Duration.ofSeconds(options.simulationSeconds()), options.simulation());
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
        Path data = PrivateFiles.folder(options.dataFolder());
        Path logs = Files.createDirectories(data.resolve("logs"));
        out.println("data folder " + data);
        var dynaliteStart = CompletableFuture.supplyAsync(() -> Dynalite.builder()
                .port(options.port(Service.DYNAMODB)).dataDirectory(data.resolve("dynamodb")).logDirectory(logs).start());
        KinesisEmulator kinesisEmulator = options.kinesisEmulator();
        // each emulator its own folder: their files are not interchangeable
        Path kinesisData = data.resolve(kinesisEmulator == KinesisEmulator.KINESIS_LOCAL ? "kinesis" : kinesisEmulator.label());
        var kinesisStart = CompletableFuture.supplyAsync(() ->
                kinesisEmulator.start(options.port(Service.KINESIS), kinesisData, logs));
        Dynalite dynalite = started(join(dynaliteStart, kinesisStart));
        EmulatorProcess kinesisLocal = started(join(kinesisStart, null));

        dynamoDbEndpoint = dynalite.endpoint();
        kinesisEndpoint = kinesisLocal.endpoint();
        clients = LocalAws.clients(dynamoDbEndpoint, kinesisEndpoint, withFaults(requests));
        dynamo = clients.dynamoDb();
        kinesis = clients.kinesis();
        LocalResources.createTables(dynamo, settings);
        LocalResources.createStream(kinesis, LocalResources.SCANS_STREAM, SCANS_SHARDS);
        LocalResources.createStream(kinesis, settings.attendanceRecordedStream(), RECORDED_SHARDS);
        LocalResources.createStream(kinesis, statsSettings.statisticsUpdatesStream(), 1);
        new EventLoader(dynamo, settings.referenceTable()).loadDemo(Instant.now());

        // The functions first, so the broker's first scan already has a reader.
        IotDataPlaneStandIn[] dataPlane = new IotDataPlaneStandIn[1];
        functionSettings = functionSettings();
        for (FunctionMapping function : streamFunctions(true)) {
            var mapping = new KinesisEventSourceMapping(faults == null ? LocalAws.kinesis(kinesisLocal.endpoint())
                    : LocalAws.clients(kinesisLocal.endpoint(), kinesisLocal.endpoint(), faults.interceptor()).kinesis(),
                    EventSourceMappingConfiguration.builder()
                            .streamName(function.streamName())
                            .functionName(function.functionName())
                            .batchSize(function.batchSize())
                            // a new stream is read from its start; after a restart, from the saved checkpoints
                            .startingPosition(EventSourceMappingConfiguration.StartingPosition.TRIM_HORIZON)
                            .maximumRetryAttempts(-1)
                            .bisectBatchOnFunctionError(true)
                            .reportBatchItemFailures(true)
                            .maximumBatchingWindow(function.batchingWindow())
                            .build(), function.handler())
                    .withCheckpoints(Checkpoints.inFile(data.resolve("checkpoints").resolve(kinesisEmulator.label())
                            .resolve(function.functionName() + "-" + function.streamName() + ".json")))
                    .withFunctionLog(FunctionLog.inFolder(logs, function.functionName()))
                    .withConsole(line -> out.println("! " + line));
            mappings.add(started(mapping.start()));
        }

        broker = started(LocalBroker.start(options.port(Service.MQTT), data.resolve("mqtt"),
                new TopicRule(settings.stage(), "", LocalResources.SCANS_STREAM), kinesis, dynamo, settings.statisticsTable()));
        dataPlane[0] = started(IotDataPlaneStandIn.start(options.port(Service.IOT_DATA), broker));
        // the allow-lists: the bucket's stand-in, and the topic rule on allowlist/get invoking the function
        int dashboardPort = options.port(Service.DASHBOARD);
        // the dashboard site's own origins: its pages may call the API and fetch a gate's list, no other page may
        java.util.Set<String> dashboardOrigins = java.util.Set.of("http://localhost:" + dashboardPort,
                "http://127.0.0.1:" + dashboardPort);
        allowListBucket = started(LocalAllowListBucket.start(options.port(Service.ALLOWLISTS), data, Clock.systemUTC(),
                dashboardOrigins));
        var allowListFunction = new AllowListFunction(allowLists("AllowListFunction"));
        AllowListRule allowListRule = started(new AllowListRule(settings.stage(), allowListFunction));
        broker.addRule(allowListRule);
        // the demo event was just (re)written as an import would: its list follows, as after the API's writes
        allowLists("ApiFunction").changed(EventLoader.DEMO_EVENT);
        startWebSocketApi();
        started(() -> {
            if (webSockets != null) webSockets.close();
        });

        LocalTokens tokens = LocalTokens.inDataFolder(data, Clock.systemUTC());
        var api = new ApiFunction(Functions.api(functionSettings, clientsOf("ApiFunction",
                AwsCalls.variables(functionSettings)), Clock.systemUTC(), allowLists("ApiFunction")));
        apiGateway = started(LocalApiGateway.start(options.port(Service.API), api, tokens.verifier(), Clock.systemUTC(),
                dashboardOrigins));
        dashboard = started(DashboardServer.start(dashboardPort, outcomes(), dashboardSite(),
                java.util.Map.of("apiUrl", apiGateway.endpoint() + "/api/v1", "webSocketUrl", webSocketUrl().toString()),
                () -> metrics(dynalite, kinesisLocal, dataPlane[0])));
        // the schedules run every clock interval (a minute in AWS; shorter here so a demo moves)
        for (FunctionTable.Row row : rows(FunctionTable.Trigger.Kind.SCHEDULE)) {
            started(LocalSchedule.every(options.clockInterval(), row.name(),
                    this.<Map<String, Object>, Object>handlerOf(row)));
        }

        out.println();
        out.println("  MQTT broker (IoT Core)   mqtt://127.0.0.1:" + broker.port()
                + "   gates publish " + GateMessage.topic(settings.stage(), "{eventId}", "{gateId}", "scans")
                + " (stage " + settings.stage() + ")");
        out.println("  IoT data plane           " + dataPlane[0].endpoint() + "   (decisions back to gates)");
        out.println("  allow-list bucket        " + allowListBucket.endpoint() + "   (signed URLs only; gates ask on "
                + com.headcount.core.allowlist.AllowListTopics.request(settings.stage(), "{eventId}", "{gateId}") + ")");
        out.println("  DynamoDB (dynalite)      " + dynalite.endpoint());
        out.println("  " + String.format("%-24s", "Kinesis (" + kinesisEmulator + ")") + " " + kinesisLocal.endpoint() + "   streams scans, "
                + settings.attendanceRecordedStream() + ", " + statsSettings.statisticsUpdatesStream());
        for (FunctionMapping f : streamFunctions(false)) {
            out.println("  " + String.format("%-24s", f.functionName()) + " on " + f.streamName()
                    + " (batch " + f.batchSize() + ", window " + f.batchingWindow().toMillis() + " ms), log " + logs.resolve(f.functionName() + ".log"));
        }
        for (FunctionTable.Row row : rows(FunctionTable.Trigger.Kind.SCHEDULE)) {
            out.println("  " + String.format("%-24s", row.name()) + " every " + options.clockInterval().toSeconds() + " s");
        }
        out.println("  HTTP API                 " + apiGateway.endpoint() + "/api/v1   (docs/api.md, openapi.yaml)");
        out.println("  WebSocket API            " + webSocketUrl() + "   (dashboards; @connections at "
                + callbackUrl() + ")");
        out.println("  demo event               '" + EventLoader.DEMO_EVENT + "' (gates north, south, east, vip; "
                + "participants P-00001..P-01000)");
        out.println();
        out.println("  An organiser token for every event (12 h), for the HTTP API:");
        String token = tokens.mint("local-organizer", List.of("organizer"), List.of("*"), Duration.ofHours(12));
        out.println("  export TOKEN=" + token);
        out.println("  (more tokens: export " + LocalTokens.KEY_VARIABLE + "=$(cat " + data.resolve("local-jwt.key")
                + ") and run com.headcount.local.gateway.LocalTokens ROLE EVENT [GATES])");
        out.println();
        out.println("  Dashboard: " + dashboard.url() + "   (sign in with the token above and an event, e.g. '"
                + EventLoader.DEMO_EVENT + "'), or signed in already:");
        // the fragment never leaves the browser, and the page moves the token into the tab's session storage
        out.println("  " + dashboard.url() + "#event=" + EventLoader.DEMO_EVENT + "&token=" + token);
        out.println();
        out.println("  Staff check-in at gate " + CHECK_IN_GATE + " of '" + EventLoader.DEMO_EVENT
                + "' (a gate-staff token for that gate, 12 h; decides offline from the gate's allow-list):");
        String staff = tokens.gateStaff("local-staff-" + CHECK_IN_GATE, EventLoader.DEMO_EVENT, List.of(CHECK_IN_GATE),
                Duration.ofHours(12));
        out.println("  " + checkInLink(dashboard.url(), EventLoader.DEMO_EVENT, CHECK_IN_GATE, staff));
        out.println();
        if (faults != null) {
            out.println("  FAULTS: " + faults.getClass().getName() + " injects faults into this stack (-D" + FaultHook.PROPERTY + ")");
            faults.started(this);
        }
    }

    /**
     * The staff check-in page of the dashboard site, signed in for one gate: like the dashboard's link, the fragment
     * never leaves the browser.
     */
    public static URI checkInLink(URI dashboard, String eventId, String gateId, String token) {
        return dashboard.resolve("checkin.html#event=" + eventId + "&gate=" + gateId + "&token=" + token);
    }

    /**
     * The functions' settings here: the defaults, with this stack's IoT data plane (decisions back to gates) and
     * WebSocket callback URL. The alert delivery's circuits and webhook targets come from the environment
     * {@code bin/local} runs in (HEADCOUNT_WEBHOOK_TARGETS, or the older HEADCOUNT_WEBHOOK_URLS); there is no
     * EventBridge here, so no bus.
     */
    private Settings functionSettings() {
        var defaults = Settings.from(Map.of(
                "HEADCOUNT_STAGE", settings.stage(),
                "IOT_DATA_ENDPOINT", "http://127.0.0.1:" + options.port(Service.IOT_DATA),
                "WEBSOCKET_CALLBACK_URL", callbackUrl().toString()));
        var delivery = DeliverySettings.from(System.getenv());
        return new Settings(defaults.shared(), defaults.stats(), defaults.api(), defaults.dashboards(),
                new DeliverySettings(delivery.shared(), null, null, delivery.circuit()), defaults.allowLists(), System.getenv());
    }

    /**
     * Every function of {@link FunctionTable} behind a stream, as the CDK app maps them (the batching here is the local
     * stack's own). {@code withHandlers} false when only the list is wanted.
     */
    private List<FunctionMapping> streamFunctions(boolean withHandlers) {
        List<FunctionMapping> functions = new ArrayList<>();
        for (FunctionTable.Row row : rows(FunctionTable.Trigger.Kind.STREAM)) {
            // alerts go to webhooks only where HEADCOUNT_WEBHOOK_TARGETS (or the older HEADCOUNT_WEBHOOK_URLS) names
            // some (no EventBridge here): else no poller
            if (row.handler() == AlertDeliveryFunction.class && !webhooksConfigured()) continue;
            Duration window = row.handler() == IngestFunction.class ? FunctionMapping.INGEST_BATCHING_WINDOW
                    : row.handler() == StatsFunction.class ? FunctionMapping.STATS_BATCHING_WINDOW
                    // the others wait for no one: updates come at most once per statistics batch per event
                    : Duration.ZERO;
            functions.add(new FunctionMapping(row.name(), streamName(row.trigger().source()), 100, window,
                    withHandlers ? this.<KinesisEvent, StreamsEventResponse>handlerOf(row) : null));
        }
        return functions;
    }

    private static boolean webhooksConfigured() {
        String webhooks = System.getenv(WebhookConfig.URLS_VARIABLE);
        String targets = System.getenv(com.headcount.adapters.webhook.WebhookTarget.VARIABLE);
        return (webhooks != null && !webhooks.isBlank()) || (targets != null && !targets.isBlank());
    }

    /** A stream of the table by its name before the stage's prefix, as this stack names it. */
    private String streamName(String stream) {
        return switch (stream) {
            case FunctionTable.SCANS -> LocalResources.SCANS_STREAM;
            case FunctionTable.ATTENDANCE_RECORDED -> settings.attendanceRecordedStream();
            case FunctionTable.STATISTICS_UPDATES -> statsSettings.statisticsUpdatesStream();
            default -> throw new IllegalArgumentException("no stream " + stream + " in the local stack");
        };
    }

    private static List<FunctionTable.Row> rows(FunctionTable.Trigger.Kind kind) {
        return FunctionTable.ALL.stream().filter(r -> r.trigger().kind() == kind).toList();
    }

    private static FunctionTable.Row only(FunctionTable.Trigger.Kind kind) {
        List<FunctionTable.Row> rows = rows(kind);
        if (rows.size() != 1) throw new IllegalStateException("one function on " + kind + " expected: " + rows);
        return rows.get(0);
    }

    private FunctionTable.Row route(String key) {
        return rows(FunctionTable.Trigger.Kind.WEBSOCKET_ROUTE).stream().filter(r -> r.trigger().source().equals(key))
                .findFirst().orElseThrow(() -> new IllegalStateException("no function on the route " + key));
    }

    /**
     * The row's handler on clients of its own, as each Lambda has: metered with the stack's other requests, and each
     * call recorded under the function's name ({@link AwsCalls}, for the grants test). The types are the trigger's,
     * which the table's handler classes declare.
     */
    @SuppressWarnings("unchecked")
    private <I, O> RequestHandler<I, O> handlerOf(FunctionTable.Row row) {
        return (RequestHandler<I, O>) row.build().handler(functionSettings,
                clientsOf(row.name(), AwsCalls.variables(functionSettings)), Clock.systemUTC());
    }

    /**
     * One function's allow-lists as in AWS: its own clients (recorded for the grants test), the bucket's stand-in,
     * answers and deltas through the IoT data plane's stand-in.
     */
    private AllowLists allowLists(String function) {
        var allowListSettings = AllowListSettings.from(Map.of());
        var variables = new LinkedHashMap<>(AwsCalls.variables(settings));
        var own = clientsOf(function, variables);
        return AllowListWiring.allowLists(own.dynamoDb(), allowListBucket.as(function, allowListSettings.prefix()),
                new IotAllowListChannel(own.iotDataPlane(URI.create("http://127.0.0.1:" + options.port(Service.IOT_DATA))),
                        settings.stage()),
                allowListSettings, Clock.systemUTC());
    }

    /** The allow-lists' bucket stand-in (signed loopback URLs). */
    public LocalAllowListBucket allowListBucket() {
        return allowListBucket;
    }

    /**
     * Starts the WebSocket API on its port (again, after {@link #stopWebSocketApi}): the dashboards' three route
     * functions behind the local gateway.
     */
    public synchronized void startWebSocketApi() {
        if (webSockets != null) return;
        webSockets = LocalWebSocketGateway.start(options.port(Service.WEBSOCKET), new LocalWebSocketGateway.Routes(
                handlerOf(route("$connect")), handlerOf(route("$disconnect")), handlerOf(route("$default"))),
                Clock.systemUTC());
    }

    /** A function's own clients: metered with the stack's other requests, its calls recorded under its name. */
    private AwsClients clientsOf(String function, Map<String, String> variables) {
        return LocalAws.clients(dynamoDbEndpoint, kinesisEndpoint, withFaults(requests, AwsCalls.of(function, variables)));
    }

    /** The interceptors given, and a chaos run's fault interceptor after them when one is configured. */
    private ExecutionInterceptor[] withFaults(ExecutionInterceptor... interceptors) {
        if (faults == null) return interceptors;
        ExecutionInterceptor[] all = java.util.Arrays.copyOf(interceptors, interceptors.length + 1);
        all[interceptors.length] = faults.interceptor();
        return all;
    }

    /** Stops the WebSocket API as an outage would: connections drop without a close frame. */
    public synchronized void stopWebSocketApi() {
        if (webSockets == null) return;
        webSockets.close();
        webSockets = null;
    }

    public URI webSocketUrl() {
        return URI.create("ws://127.0.0.1:" + options.port(Service.WEBSOCKET) + "/" + LocalWebSocketGateway.STAGE);
    }

    private URI callbackUrl() {
        return URI.create("http://127.0.0.1:" + options.port(Service.WEBSOCKET) + "/" + LocalWebSocketGateway.STAGE);
    }

    /** The built dashboard: {@code dist} in {@code -Dheadcount.dashboard.dir}, else in the repository's {@code dashboard}. */
    private static Path dashboardSite() {
        String dir = System.getProperty("headcount.dashboard.dir");
        Path project = dir != null ? Path.of(dir) : Path.of(System.getProperty("headcount.root", "")).toAbsolutePath().resolve("dashboard");
        return project.resolve("dist");
    }

    /** The counters of each part, for the load benchmark: where scans are, and which process is which. */
    private Map<String, Object> metrics(EmulatorProcess dynalite, EmulatorProcess kinesisEmulator,
                                                  IotDataPlaneStandIn dataPlane) {
        var metrics = new LinkedHashMap<String, Object>();
        metrics.put("pids", Map.of("stack", ProcessHandle.current().pid(), "dynalite", dynalite.pid(),
                options.kinesisEmulator().label(), kinesisEmulator.pid()));
        metrics.put("scansForwarded", broker.scansForwarded());
        metrics.put("scansRefused", broker.scansRefused());
        metrics.put("scansWaitingForPut", broker.scansWaitingForPut());
        metrics.put("decisionsPublished", dataPlane == null ? 0 : dataPlane.published());
        var byFunction = new LinkedHashMap<String, Object>();
        for (KinesisEventSourceMapping mapping : mappings) {
            var counters = mapping.counters();
            byFunction.put(mapping.configuration().functionName(), Map.of(
                    "stream", mapping.configuration().streamName(),
                    "invocations", counters.invocations(),
                    "recordsDelivered", counters.recordsDelivered(),
                    "recordsDone", counters.recordsDone(),
                    "functionErrors", counters.functionErrors(),
                    "retries", counters.retries(),
                    "millisBehindLatest", mapping.millisBehindLatest()));
        }
        metrics.put("functions", byFunction);
        metrics.put("requests", requests.snapshot());
        return metrics;
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

    /** Restarts the MQTT broker on its port, as an IoT Core outage would: every gate is disconnected and reconnects. */
    public void restartBroker() throws Exception {
        broker.restart();
    }

    public DashboardServer dashboard() {
        return dashboard;
    }

    public LocalApiGateway apiGateway() {
        return apiGateway;
    }

    public StoredOutcomes outcomes() {
        return new StoredOutcomes(dynamo, settings.scansTable());
    }

    /** Waits until every function has read its stream to the end as of now. */
    public void awaitCaughtUp(Duration timeout) {
        for (KinesisEventSourceMapping mapping : mappings) mapping.awaitCaughtUp(timeout);
    }

    /**
     * Stops what was started, newest first, after a drain: the broker first refuses new scans (the gates keep them on
     * disk and send them to the next start), then every function decides what is already on its stream and tells the
     * gates while they are still connected. So a stop in the middle of a rush leaves nothing half done; what a
     * crash leaves is resumed from the checkpoints.
     */
    @Override
    public synchronized void close() {
        if (broker != null) {
            broker.stopTakingScans();
        }
        for (KinesisEventSourceMapping mapping : mappings) {
            try {
                mapping.awaitCaughtUp(STOP_DRAIN);
            } catch (RuntimeException e) {
                System.err.println("stopping before " + mapping.configuration().functionName() + " caught up ("
                        + e.getMessage() + "); the next start resumes from its checkpoints");
            }
        }
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
