package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The stats function's names and tunables, read once from its environment (the CDK app sets the same variables).
 *
 * @param eventBusName    EventBridge bus for alerts; null to send none
 * @param eventBridgeEndpoint endpoint override (tests); null in AWS
 * @param publishInterval at most one `stats.updated` per event per interval
 */
public record StatsSettings(
        HeadcountSettings shared,
        String statisticsUpdatesStream,
        String eventBusName,
        URI eventBridgeEndpoint,
        Duration publishInterval) {

    public String statisticsTable() {
        return shared.statisticsTable();
    }

    public static StatsSettings fromEnvironment() {
        return from(System.getenv()::get);
    }

    public static StatsSettings from(Map<String, String> values) {
        return from(values::get);
    }

    static StatsSettings from(Function<String, String> env) {
        String endpoint = value(env, "EVENTBRIDGE_ENDPOINT", null);
        return new StatsSettings(
                HeadcountSettings.from(env),
                value(env, "STATISTICS_UPDATES_STREAM", "statistics-updates"),
                value(env, "ALERTS_EVENT_BUS", null),
                endpoint == null ? null : URI.create(endpoint),
                Duration.parse(value(env, "STATS_PUBLISH_INTERVAL", "PT1S")));
    }
}
