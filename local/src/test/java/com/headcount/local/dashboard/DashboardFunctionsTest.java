package com.headcount.local.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoConnections;
import com.headcount.core.access.Caller;
import com.headcount.core.dashboard.Sections;
import com.headcount.core.dashboard.TicketIssuer;
import com.headcount.core.messages.MessageTypes;
import com.headcount.handlers.DashboardConnectFunction;
import com.headcount.handlers.DashboardDisconnectFunction;
import com.headcount.handlers.DashboardMessageFunction;
import com.headcount.handlers.DashboardSettings;
import com.headcount.handlers.DashboardWiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.lambda.LocalContext;
import com.headcount.local.stack.LocalResources;
import com.headcount.local.testing.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The WebSocket route functions driven by the API Gateway events in events/websocket/ (deserialised as the Lambda
 * runtime does), on real tables: tickets from the HTTP API's issuer, connections in the connections table.
 */
@ExtendWith(Emulators.Extension.class)
class DashboardFunctionsTest {

    static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final Path EVENTS = Path.of(System.getProperty("headcount.events.dir"), "websocket");

    final Clock clock = Clock.systemUTC();
    DynamoDbClient dynamo;
    DashboardSettings settings = DashboardSettings.from(Map.of());
    TicketIssuer issuer;
    DashboardConnectFunction connect;
    DashboardDisconnectFunction disconnect;
    DashboardMessageFunction message;
    DynamoConnections connections;
    String eventId;
    String connectionId;

    @BeforeEach
    void functions(Emulators emulators) {
        dynamo = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint()).dynamoDb();
        LocalResources.createTables(dynamo, HeadcountSettings.defaults());
        issuer = DashboardWiring.tickets(dynamo, settings.ticketsTable(), clock);
        connect = new DashboardConnectFunction(feed(emulators, "DashboardConnectFunction"));
        disconnect = new DashboardDisconnectFunction(feed(emulators, "DashboardDisconnectFunction"));
        message = new DashboardMessageFunction(feed(emulators, "DashboardMessageFunction"));
        connections = new DynamoConnections(dynamo, settings.connectionsTable(), clock);
        int n = SEQUENCE.incrementAndGet();
        eventId = "ws-event-" + n;
        connectionId = "Fk3pGdxTIAMCJ" + n + "=";
    }

    /** A route function's dashboards on clients of its own that record its calls (for the grants test). */
    private com.headcount.core.dashboard.Dashboards feed(Emulators emulators, String function) {
        var own = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                AwsCalls.of(function, AwsCalls.variables(settings))).dynamoDb();
        return DashboardWiring.dashboards(own, settings, clock);
    }

    @Test
    void aValidTicketConnectsOnceAndIsSpent() {
        String ticket = ticket(eventId);
        assertEquals(200, connect(ticket, eventId).getStatusCode());
        var stored = connections.find(connectionId).orElseThrow();
        assertEquals(eventId, stored.eventId());
        assertEquals("ana", stored.subject());
        assertEquals(Sections.DEFAULT, stored.sections());
        assertTrue(Duration.between(stored.connectedAt().plus(Duration.ofHours(2)), stored.expiresAt()).abs().toSeconds() <= 1);

        connectionId = connectionId + "2";
        var reused = connect(ticket, eventId);
        assertEquals(401, reused.getStatusCode());
        assertTrue(reused.getBody().contains("ticket_unknown"), reused.getBody());
        assertTrue(connections.find(connectionId).isEmpty());
    }

    @Test
    void anExpiredTicketIsRefused() {
        // issued a lifetime and a second ago
        issuer = DashboardWiring.tickets(dynamo, settings.ticketsTable(),
                Clock.offset(clock, TicketIssuer.LIFETIME.plusSeconds(1).negated()));
        String ticket = ticket(eventId);
        var answer = connect(ticket, eventId);
        assertEquals(401, answer.getStatusCode());
        assertTrue(answer.getBody().contains("ticket_expired"), answer.getBody());
        assertTrue(connections.find(connectionId).isEmpty());
    }

    @Test
    void aTicketForAnotherEventIsRefused() {
        var answer = connect(ticket("other-" + eventId), eventId);
        assertEquals(403, answer.getStatusCode());
        assertTrue(answer.getBody().contains("wrong_event"), answer.getBody());
        assertTrue(connections.find(connectionId).isEmpty());
    }

    @Test
    void disconnectRemovesTheConnection() {
        assertEquals(200, connect(ticket(eventId), eventId).getStatusCode());
        assertEquals(200, disconnect.handleRequest(fixture("disconnect.json"), context()).getStatusCode());
        assertTrue(connections.find(connectionId).isEmpty());
        // API Gateway may send it twice, or for a connection the TTL already took
        assertEquals(200, disconnect.handleRequest(fixture("disconnect.json"), context()).getStatusCode());
    }

    @Test
    void defaultAnswersSubscribeAndPingAndAnythingElseWithAnError() throws Exception {
        assertEquals(200, connect(ticket(eventId), eventId).getStatusCode());
        Map<String, Object> subscribed = answer("default-subscribe.json");
        assertEquals(MessageTypes.SUBSCRIBED, subscribed.get("type"));
        assertEquals(List.of("overall", "gates", "hourly", "predictive", "alerts"), subscribed.get("sections"));
        assertEquals(Set.of("overall", "gates", "hourly", "predictive", "alerts"), connections.find(connectionId).orElseThrow().sections());
        assertEquals(MessageTypes.PONG, answer("default-ping.json").get("type"));
        Map<String, Object> unknown = answer("default-unknown-action.json");
        assertEquals(MessageTypes.ERROR, unknown.get("type"));
        assertEquals("unknown_action", unknown.get("code"));
        assertEquals("malformed", answer("default-malformed.json").get("code"));
    }

    // issue 19 point 2, on real tables: the counters are conditional updates, so the cap holds across functions
    @Test
    void connectionsPastTheSubjectsCapAreRefusedWith429AndDisconnectFreesAPlace(Emulators emulators) {
        settings = DashboardSettings.from(Map.of("DASHBOARD_CONNECTIONS_PER_SUBJECT", "2"));
        connect = new DashboardConnectFunction(feed(emulators, "DashboardConnectFunction"));
        disconnect = new DashboardDisconnectFunction(feed(emulators, "DashboardDisconnectFunction"));
        String subject = "kiosk-" + eventId;
        String first = connectionId;
        assertEquals(200, connect(ticket(eventId, subject, null), eventId).getStatusCode());
        connectionId = first + "b";
        assertEquals(200, connect(ticket(eventId, subject, null), eventId).getStatusCode());
        connectionId = first + "c";
        var third = connect(ticket(eventId, subject, null), eventId);
        assertEquals(429, third.getStatusCode());
        assertTrue(third.getBody().contains("too_many_connections"), third.getBody());
        assertTrue(connections.find(connectionId).isEmpty());

        connectionId = first;
        assertEquals(200, disconnect.handleRequest(fixture("disconnect.json"), context()).getStatusCode());
        connectionId = first + "c";
        assertEquals(200, connect(ticket(eventId, subject, null), eventId).getStatusCode());
    }

    // issue 19 point 8
    @Test
    void aConnectionEndsWhenTheTokenThatGotItsTicketExpires() {
        java.time.Instant tokenExpires = clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertEquals(200, connect(ticket(eventId, "ana", tokenExpires), eventId).getStatusCode());
        assertEquals(tokenExpires, connections.find(connectionId).orElseThrow().expiresAt());
    }

    private String ticket(String event, String subject, java.time.Instant tokenExpires) {
        Caller viewer = Caller.fromAuthorizerClaims(Map.of("sub", subject, "roles", "[viewer]", "events", "[" + event + "]"));
        return issuer.issue(event, viewer, tokenExpires).ticket();
    }

    private String ticket(String event) {
        Caller viewer = Caller.fromAuthorizerClaims(Map.of("sub", "ana", "roles", "[viewer]", "events", "[" + event + "]"));
        return issuer.issue(event, viewer).ticket();
    }

    private APIGatewayV2WebSocketResponse connect(String ticket, String event) {
        APIGatewayV2WebSocketEvent e = fixture("connect.json");
        Map<String, String> query = new LinkedHashMap<>(e.getQueryStringParameters());
        query.put("ticket", ticket);
        query.put("eventId", event);
        e.setQueryStringParameters(query);
        return connect.handleRequest(e, context());
    }

    private Map<String, Object> answer(String fixture) throws Exception {
        var response = message.handleRequest(fixture(fixture), context());
        assertEquals(200, response.getStatusCode());
        return JSON.std.mapFrom(response.getBody());
    }

    /** A sample event with this test's connection id. */
    private APIGatewayV2WebSocketEvent fixture(String name) {
        APIGatewayV2WebSocketEvent e = EventLoader.loadEvent(EVENTS.resolve(name).toString(), APIGatewayV2WebSocketEvent.class);
        assertEquals("Fk3pGdxTIAMCJ5A=", e.getRequestContext().getConnectionId(), "the samples share one connection");
        e.getRequestContext().setConnectionId(connectionId);
        return e;
    }

    private static LocalContext context() {
        return new LocalContext("DashboardFunction", Duration.ofSeconds(10));
    }
}
