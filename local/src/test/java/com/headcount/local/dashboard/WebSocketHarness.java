package com.headcount.local.dashboard;

import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoConnections;
import com.headcount.core.access.Caller;
import com.headcount.core.dashboard.DashboardConnection;
import com.headcount.core.dashboard.TicketIssuer;
import com.headcount.handlers.DashboardConnectFunction;
import com.headcount.handlers.DashboardDisconnectFunction;
import com.headcount.handlers.DashboardMessageFunction;
import com.headcount.handlers.DashboardSettings;
import com.headcount.handlers.DashboardWiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.gateway.LocalWebSocketGateway;
import com.headcount.local.stack.LocalResources;
import com.headcount.local.testing.Emulators;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The WebSocket API as in AWS, on the emulators: the real route functions behind the local gateway, real tables. */
final class WebSocketHarness implements AutoCloseable {

    static final AtomicInteger SEQUENCE = new AtomicInteger();

    final Emulators emulators;
    final DynamoDbClient dynamo;
    final DashboardSettings settings;
    final TicketIssuer issuer;
    final DynamoConnections connections;
    final LocalWebSocketGateway gateway;
    final String eventId = "ws-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime();
    final List<DashboardClient> clients = new ArrayList<>();

    WebSocketHarness(Emulators emulators, Map<String, String> env) {
        this.emulators = emulators;
        settings = DashboardSettings.from(env);
        dynamo = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint()).dynamoDb();
        LocalResources.createTables(dynamo, HeadcountSettings.defaults());
        Clock clock = Clock.systemUTC();
        issuer = DashboardWiring.tickets(dynamo, settings.ticketsTable(), clock);
        connections = new DynamoConnections(dynamo, settings.connectionsTable(), clock);
        gateway = LocalWebSocketGateway.start(0, new LocalWebSocketGateway.Routes(
                new DashboardConnectFunction(feed("DashboardConnectFunction", clock)),
                new DashboardDisconnectFunction(feed("DashboardDisconnectFunction", clock)),
                new DashboardMessageFunction(feed("DashboardMessageFunction", clock))), clock);
    }

    /** The SDK clients the broadcaster uses, with the test's interceptors and its calls recorded. */
    AwsClients clients(ExecutionInterceptor... interceptors) {
        var all = new ArrayList<>(List.of(interceptors));
        all.add(AwsCalls.of("BroadcastFunction", AwsCalls.variables(settings)));
        return LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                all.toArray(ExecutionInterceptor[]::new));
    }

    /** A route function's dashboards, on clients of its own (as each Lambda has) that record its calls. */
    private com.headcount.core.dashboard.Dashboards feed(String function, Clock clock) {
        var own = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                AwsCalls.of(function, AwsCalls.variables(settings))).dynamoDb();
        return DashboardWiring.dashboards(own, settings, clock);
    }

    String ticket() {
        // a subject per harness: the connection and ticket caps count per subject, and the emulators outlive a test
        return issuer.issue(eventId, Caller.fromAuthorizerClaims(Map.of("sub", "viewer-" + eventId, "roles", "[viewer]",
                "events", "[" + eventId + "]"))).ticket();
    }

    /** A dashboard connected to the event, and its connection id (the one stored that was not there before). */
    record Connected(DashboardClient client, String connectionId) {}

    Connected connect() throws InterruptedException {
        Set<String> before = ids();
        DashboardClient client = DashboardClient.connect(gateway.url(), eventId, ticket());
        clients.add(client);
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            Set<String> now = ids();
            now.removeAll(before);
            if (now.size() == 1) return new Connected(client, now.iterator().next());
            Thread.sleep(10);
        }
        throw new AssertionError("the connection was not stored");
    }

    Set<String> ids() {
        Set<String> ids = new HashSet<>();
        for (DashboardConnection c : connections.of(eventId)) ids.add(c.connectionId());
        return ids;
    }

    @Override
    public void close() {
        clients.forEach(DashboardClient::close);
        gateway.close();
    }
}
