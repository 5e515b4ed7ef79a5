package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoConnectTickets;
import com.headcount.adapters.dynamodb.DynamoConnections;
import com.headcount.core.dashboard.DashboardLimits;
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
 * @param eventBudget   the longest one event's broadcast may take, events being sent side by side
 * @param limits        tickets and connections per token subject and per event
 */
public record DashboardSettings(HeadcountSettings shared, String connectionsTable, String ticketsTable, URI callbackUrl,
                                int postsInFlight, Duration postTimeout, Duration eventBudget, DashboardLimits limits) {

    public static final String CONNECTIONS_TABLE = "CONNECTIONS_TABLE";
    public static final String TICKETS_TABLE = "DASHBOARD_TICKETS_TABLE";

    public static DashboardSettings from(Map<String, String> values) {
        Function<String, String> env = values::get;
        String callback = value(env, "WEBSOCKET_CALLBACK_URL", null);
        return new DashboardSettings(HeadcountSettings.from(env),
                value(env, CONNECTIONS_TABLE, DynamoConnections.DEFAULT_TABLE),
                value(env, TICKETS_TABLE, DynamoConnectTickets.DEFAULT_TABLE),
                callback == null ? null : URI.create(callback),
                Integer.parseInt(value(env, "BROADCAST_POSTS_IN_FLIGHT", "64")),
                Duration.parse(value(env, "BROADCAST_POST_TIMEOUT", "PT2S")),
                Duration.parse(value(env, "BROADCAST_EVENT_BUDGET", "PT10S")),
                new DashboardLimits(
                        Integer.parseInt(value(env, "DASHBOARD_TICKETS_PER_SUBJECT_PER_MINUTE", "30")),
                        Integer.parseInt(value(env, "DASHBOARD_TICKETS_PER_EVENT_PER_MINUTE", "3000")),
                        Integer.parseInt(value(env, "DASHBOARD_CONNECTIONS_PER_SUBJECT", "20")),
                        Integer.parseInt(value(env, "DASHBOARD_CONNECTIONS_PER_EVENT", "2000"))));
    }
}
