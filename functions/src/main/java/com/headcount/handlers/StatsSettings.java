package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import java.util.Map;
import java.util.function.Function;

/**
 * The stats function's and the statistics clock's names and tunables, read once from their environment (the CDK app
 * sets the same variables).
 */
public record StatsSettings(
        HeadcountSettings shared,
        String statisticsUpdatesStream) {

    public String statisticsTable() {
        return shared.statisticsTable();
    }

    public static StatsSettings from(Map<String, String> values) {
        return from(values::get);
    }

    static StatsSettings from(Function<String, String> env) {
        return new StatsSettings(
                HeadcountSettings.from(env),
                value(env, "STATISTICS_UPDATES_STREAM", "statistics-updates"));
    }
}
