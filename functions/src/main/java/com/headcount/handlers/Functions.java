package com.headcount.handlers;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.cloudwatch.EmbeddedMetrics;
import com.headcount.adapters.dynamodb.DynamoDeliveryFailures;
import com.headcount.adapters.dynamodb.DynamoUnpublishedScans;
import com.headcount.adapters.eventbridge.EventBridgeAlerts;
import com.headcount.adapters.iot.IotAllowListChannel;
import com.headcount.adapters.iot.IotGateFeedback;
import com.headcount.adapters.kinesis.KinesisAcceptedScans;
import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.api.ApiRequest;
import com.headcount.core.dashboard.Broadcast;
import com.headcount.core.dashboard.Dashboards;
import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Republisher;
import com.headcount.core.delivery.AlertDelivery;
import com.headcount.core.delivery.AlertTarget;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.stats.StatsClock;
import com.headcount.core.stats.StatsUpdater;
import com.headcount.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The composition root: what each function is made of, built from one {@link Settings}. Every handler's Lambda
 * constructor is {@code XFunction() { this(Functions.x(Settings.fromEnvironment())); }}; that one-argument form builds
 * the clients from the environment and registers the function's SnapStart warm-up ({@link Priming}). The form with
 * clients and a clock is the same wiring for the local stack, the benchmarks and the tests, which give each function
 * clients of its own (metered, recorded for the grants test) and register no warm-up.
 *
 * <p>{@link FunctionTable} lists the functions with their triggers; Wiring, StatsWiring, ApiWiring and DashboardWiring
 * build the parts that several functions share.
 */
public final class Functions {

    /** Telling gates must not hold a batch up for long: the outcomes are already stored. */
    public static final Duration FEEDBACK_DEADLINE = Duration.ofSeconds(5);

    private Functions() {}

    public static IngestFunction.Parts ingest(Settings settings) {
        AwsClients clients = AwsClients.fromEnvironment();
        Priming.register("IngestFunction", Priming.scanPath(clients.dynamoDb(), settings.shared().referenceTable()));
        return ingest(settings, clients, Clock.systemUTC());
    }

    public static IngestFunction.Parts ingest(Settings settings, AwsClients clients, Clock clock) {
        var shared = settings.shared();
        GateFeedback feedback = shared.iotDataEndpoint() == null ? GateFeedback.NONE
                : new IotGateFeedback(clients.iotDataPlane(shared.iotDataEndpoint()), shared.stage(), FEEDBACK_DEADLINE);
        return new IngestFunction.Parts(Wiring.gatekeeper(clients.dynamoDb(), clients.kinesis(), shared, clock),
                feedback, new EmbeddedMetrics(shared.metricsNamespace()));
    }

    public static StatsUpdater stats(Settings settings) {
        AwsClients clients = AwsClients.fromEnvironment();
        Priming.register("StatsFunction", Priming.scanPath(clients.dynamoDb(), settings.shared().referenceTable()));
        return stats(settings, clients, Clock.systemUTC());
    }

    public static StatsUpdater stats(Settings settings, AwsClients clients, Clock clock) {
        return StatsWiring.updater(clients.dynamoDb(), clients.kinesis(), settings.stats(), clock, Sleeper.REAL);
    }

    public static StatsClock statsClock(Settings settings) {
        return statsClock(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    public static StatsClock statsClock(Settings settings, AwsClients clients, Clock clock) {
        return StatsWiring.clock(clients.dynamoDb(), clients.kinesis(), settings.stats(), clock, Sleeper.REAL);
    }

    public static ApiFunction.Parts api(Settings settings) {
        ApiFunction.Parts parts = api(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
        AttendanceApi api = parts.api();
        // an organiser reading an event: routing, the caller's grants, a reference read, a problem+json answer
        Priming.register("ApiFunction", () -> api.handle(new ApiRequest("GET", "/api/v1/events/priming", Map.of(),
                Map.of(), null, false, "priming", Instant.now(), Map.of("sub", "priming", "roles", "[organizer]",
                "events", "[priming]"), null), line -> { }));
        return parts;
    }

    /**
     * Where a bucket is configured the API tells the allow-lists of every set-up change and answers staff phones with
     * them (else it tells no one, and answers that there are none).
     */
    public static ApiFunction.Parts api(Settings settings, AwsClients clients, Clock clock) {
        var lists = settings.allowLists();
        AllowLists allowLists = lists.bucket() == null || lists.shared().iotDataEndpoint() == null
                ? null : allowList(settings, clients, clock);
        return api(settings, clients, clock, allowLists);
    }

    /** The local stack's form: its allow-lists use the bucket's loopback stand-in. */
    public static ApiFunction.Parts api(Settings settings, AwsClients clients, Clock clock, AllowLists allowLists) {
        var dynamo = clients.dynamoDb();
        return new ApiFunction.Parts(new AttendanceApi(ApiWiring.services(dynamo, clients.kinesis(), settings.api(),
                ApiWiring.statistics(dynamo, settings.shared(), clock), clock, allowLists)),
                new EmbeddedMetrics(settings.shared().metricsNamespace()));
    }

    public static AllowLists allowList(Settings settings) {
        return allowList(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    /** The lists in the bucket the settings name, gates told over the IoT data plane. */
    public static AllowLists allowList(Settings settings, AwsClients clients, Clock clock) {
        var lists = settings.allowLists();
        if (lists.bucket() == null) throw new IllegalStateException("ALLOWLIST_BUCKET is not set");
        if (lists.shared().iotDataEndpoint() == null) throw new IllegalStateException("IOT_DATA_ENDPOINT is not set");
        return AllowListWiring.allowLists(clients.dynamoDb(),
                clients.allowListBucket(lists.bucket(), lists.prefix(), null, clock),
                new IotAllowListChannel(clients.iotDataPlane(lists.shared().iotDataEndpoint()), lists.shared().stage()),
                lists, clock);
    }

    public static Republisher publishRetry(Settings settings) {
        return publishRetry(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    /** @param clock unused: the republisher keeps no time of its own (the same form as every function's) */
    public static Republisher publishRetry(Settings settings, AwsClients clients, Clock clock) {
        var shared = settings.shared();
        return new Republisher(new DynamoUnpublishedScans(clients.dynamoDb(), shared.scansTable()),
                new KinesisAcceptedScans(clients.kinesis(), shared.attendanceRecordedStream()));
    }

    /** Built once per instance, so the circuits live as long as the instance. */
    public static AlertDelivery alertDelivery(Settings settings) {
        return alertDelivery(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    /**
     * The targets the settings name: the bus (when set) and every webhook target of HEADCOUNT_WEBHOOK_TARGETS, each
     * signed with its own secret and sent only its events' alerts.
     */
    public static AlertDelivery alertDelivery(Settings settings, AwsClients clients, Clock clock) {
        var delivery = settings.delivery();
        List<AlertTarget> targets = new ArrayList<>();
        if (delivery.eventBusName() != null) {
            targets.add(new EventBridgeAlerts(clients.eventBridge(delivery.eventBridgeEndpoint()),
                    delivery.eventBusName()));
        }
        targets.addAll(AlertDeliveryFunction.webhooks(settings.environment(), clients::secretsManager));
        return new AlertDelivery(targets, new DynamoDeliveryFailures(clients.dynamoDb(),
                delivery.shared().statisticsTable()), delivery.circuit(), clock);
    }

    public static Broadcast broadcast(Settings settings) {
        Broadcast broadcast = broadcast(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
        // an update for an event no dashboard can be connected to: the connections' query finds none, nothing is posted
        Priming.register("BroadcastFunction", () -> broadcast.send(List.of(Map.of("type", MessageTypes.STATS_UPDATED,
                "eventId", Priming.NO_EVENT, "statistics", Map.of()))));
        return broadcast;
    }

    public static Broadcast broadcast(Settings settings, AwsClients clients, Clock clock) {
        var dashboards = settings.dashboards();
        if (dashboards.callbackUrl() == null) throw new IllegalStateException("WEBSOCKET_CALLBACK_URL is not set");
        return DashboardWiring.broadcast(clients, dashboards, dashboards.callbackUrl(), clock);
    }

    public static Dashboards dashboardConnect(Settings settings) {
        Dashboards dashboards = dashboards(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
        // a ticket nobody was issued: taken (a conditional delete that finds nothing) and refused
        Priming.register("DashboardConnectFunction", () -> dashboards.connect("priming", "priming-never-issued",
                "priming", null));
        return dashboards;
    }

    public static Dashboards dashboardDisconnect(Settings settings) {
        Dashboards dashboards = dashboards(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
        Priming.register("DashboardDisconnectFunction", () -> dashboards.disconnect(Priming.NO_EVENT));
        return dashboards;
    }

    public static Dashboards dashboardMessage(Settings settings) {
        Dashboards dashboards = dashboards(settings, AwsClients.fromEnvironment(), Clock.systemUTC());
        // a subscribe from a connection that does not exist: a consistent read, then an error answer
        Priming.register("DashboardMessageFunction", () -> dashboards.message(Priming.NO_EVENT,
                "{\"action\":\"subscribe\",\"sections\":[\"overall\"]}"));
        return dashboards;
    }

    /** The three WebSocket routes' parts: each route is a function of its own, with clients of its own. */
    public static Dashboards dashboards(Settings settings, AwsClients clients, Clock clock) {
        return DashboardWiring.dashboards(clients.dynamoDb(), settings.dashboards(), clock);
    }
}
