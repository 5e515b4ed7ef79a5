package com.headcount.handlers;

import com.headcount.adapters.apigateway.ApiGatewayConnections;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.dynamodb.DynamoConnectTickets;
import com.headcount.adapters.dynamodb.DynamoConnections;
import com.headcount.adapters.dynamodb.DynamoQuotas;
import com.headcount.core.dashboard.DashboardLimits;
import com.headcount.core.dashboard.Broadcast;
import com.headcount.core.dashboard.Dashboards;
import com.headcount.core.dashboard.TicketIssuer;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Puts the dashboards' functions together: the WebSocket routes, the broadcaster and the HTTP API's ticket issuer. */
public final class DashboardWiring {

    private DashboardWiring() {}

    public static Dashboards dashboards(DynamoDbClient dynamo, DashboardSettings settings, Clock clock) {
        return new Dashboards(new DynamoConnectTickets(dynamo, settings.ticketsTable()),
                new DynamoConnections(dynamo, settings.connectionsTable(), clock),
                ApiWiring.statistics(dynamo, settings.shared(), clock), clock,
                new DynamoQuotas(dynamo, settings.ticketsTable()), settings.limits());
    }

    public static TicketIssuer tickets(DynamoDbClient dynamo, String ticketsTable, Clock clock) {
        return tickets(dynamo, ticketsTable, clock, DashboardLimits.DEFAULT);
    }

    public static TicketIssuer tickets(DynamoDbClient dynamo, String ticketsTable, Clock clock, DashboardLimits limits) {
        return new TicketIssuer(new DynamoConnectTickets(dynamo, ticketsTable), new SecureRandom(), clock,
                new DynamoQuotas(dynamo, ticketsTable), limits);
    }

    /** @param callbackUrl the {@code @connections} endpoint: the stage's callback URL in AWS, the local gateway here */
    public static Broadcast broadcast(AwsClients clients, DashboardSettings settings, URI callbackUrl, Clock clock) {
        return new Broadcast(new DynamoConnections(clients.dynamoDb(), settings.connectionsTable(), clock),
                new ApiGatewayConnections(clients.connections(callbackUrl, settings.postTimeout())),
                // posts and events wait on the network: a virtual thread each, posts bounded by postsInFlight per event
                Executors.newVirtualThreadPerTaskExecutor(), settings.postsInFlight(),
                new DynamoQuotas(clients.dynamoDb(), settings.ticketsTable()), clock, settings.eventBudget());
    }
}
