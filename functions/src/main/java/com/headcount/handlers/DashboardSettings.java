package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoConnectTickets;
import com.headcount.adapters.dynamodb.DynamoConnections;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What the dashboards' functions read from their environment on top of the shared names.
 *
 * @param callbackUrl where the {@code @connections} API answers (the WebSocket stage's https URL); the broadcaster's
 * @param postsInFlight connections posted to at once by one broadcast
 * @param postTimeout   the longest one post (with its retries) may take: what a slow connection can cost a broadcast
 */
public record DashboardSettings(HeadcountSettings shared, String connectionsTable, String ticketsTable, URI callbackUrl,
                                int postsInFlight, Duration postTimeout) {

    public static final String CONNECTIONS_TABLE = "CONNECTIONS_TABLE";
    public static final String TICKETS_TABLE = "DASHBOARD_TICKETS_TABLE";

    public static DashboardSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static DashboardSettings from(Map<String, String> values) {
        Function<String, String> env = values::get;
        String callback = value(env, "WEBSOCKET_CALLBACK_URL", null);
        return new DashboardSettings(HeadcountSettings.from(env),
                value(env, CONNECTIONS_TABLE, DynamoConnections.DEFAULT_TABLE),
                value(env, TICKETS_TABLE, DynamoConnectTickets.DEFAULT_TABLE),
                callback == null ? null : URI.create(callback),
                Integer.parseInt(value(env, "BROADCAST_POSTS_IN_FLIGHT", "64")),
                Duration.parse(value(env, "BROADCAST_POST_TIMEOUT", "PT2S")));
    }
}
