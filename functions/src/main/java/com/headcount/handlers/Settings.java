package com.headcount.handlers;

import com.headcount.adapters.aws.HeadcountSettings;
import java.util.Map;

/**
 * Every function's settings, read once from one environment: the shared names and tunables, and what each kind of
 * function reads on top of them. {@link Functions} builds every function from this and nothing else, so no part reads
 * the environment by itself; the CDK app sets the same variables, the local stack passes its own in.
 *
 * @param environment the variables themselves, for the webhook targets: a target's secret may be named by a variable
 *                    (locally), and {@code HEADCOUNT_WEBHOOK_URLS} is refused where {@code AWS_LAMBDA_FUNCTION_NAME}
 *                    says this is Lambda
 */
public record Settings(HeadcountSettings shared, StatsSettings stats, ApiSettings api, DashboardSettings dashboards,
                       DeliverySettings delivery, AllowListSettings allowLists, Map<String, String> environment) {

    public Settings {
        environment = Map.copyOf(environment);
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> environment) {
        return new Settings(HeadcountSettings.from(environment), StatsSettings.from(environment),
                ApiSettings.from(environment), DashboardSettings.from(environment), DeliverySettings.from(environment),
                AllowListSettings.from(environment), environment);
    }
}
