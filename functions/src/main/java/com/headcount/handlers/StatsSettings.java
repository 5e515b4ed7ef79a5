package com.headcount.handlers;

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
        String referenceTable,
        String statisticsTable,
        String statisticsUpdatesStream,
        String eventBusName,
        URI eventBridgeEndpoint,
        Duration publishInterval,
        Duration referenceCacheTtl,
        int referenceCacheEntries) {

    public static StatsSettings fromEnvironment() {
        return from(System.getenv()::get);
    }

    public static StatsSettings from(Map<String, String> values) {
        return from(values::get);
    }

    static StatsSettings from(Function<String, String> env) {
        String endpoint = value(env, "EVENTBRIDGE_ENDPOINT", null);
        return new StatsSettings(
                value(env, "REFERENCE_TABLE", "headcount-reference"),
                value(env, "STATISTICS_TABLE", "headcount-statistics"),
                value(env, "STATISTICS_UPDATES_STREAM", "statistics-updates"),
                value(env, "ALERTS_EVENT_BUS", null),
                endpoint == null ? null : URI.create(endpoint),
                Duration.parse(value(env, "STATS_PUBLISH_INTERVAL", "PT1S")),
                Duration.parse(value(env, "REFERENCE_CACHE_TTL", "PT15S")),
                Integer.parseInt(value(env, "REFERENCE_CACHE_ENTRIES", "10000")));
    }

    private static String value(Function<String, String> env, String name, String fallback) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
