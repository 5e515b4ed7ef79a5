package com.headcount.adapters.aws;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Names and tunables of one deployment, read once from the function's environment. The CDK app sets the same
 * variables; the local stack passes them in.
 *
 * @param iotDataEndpoint where decisions are published back to gates (the account's IoT data endpoint); null when
 *                        gates are not told (e.g. only the HTTP API is used)
 * @param decisionParallelism how many independent scans of a batch are decided at once
 * @param dedupRetention how long (in arrival time) a participant's window item is kept after its last accepted
 *                       scan. The window is five minutes of event time, but an offline gate may upload its backlog
 *                       hours later and must still be deduplicated against what was accepted meanwhile.
 * @param metricsNamespace where the functions' business metrics go in CloudWatch (the stage's own namespace)
 * @param stage the deployment's stage, the second level of every gate topic: decisions go only to this stage's gates
 */
public record HeadcountSettings(
        String referenceTable,
        String scansTable,
        String windowsTable,
        String statisticsTable,
        String attendanceRecordedStream,
        Duration referenceCacheTtl,
        int referenceCacheEntries,
        Duration dedupRetention,
        int decisionParallelism,
        java.net.URI iotDataEndpoint,
        String metricsNamespace,
        String stage) {

    /** The stage when none is set: the local stack's, never a deployed one's (the CDK app always sets it). */
    public static final String LOCAL_STAGE = "local";

    public HeadcountSettings {
        if (!stage.matches("[a-z][a-z0-9]{0,11}")) {
            throw new IllegalArgumentException("HEADCOUNT_STAGE must be a lowercase letter then up to 11 lowercase "
                    + "letters or digits (a topic level and part of every name), not '" + stage + "'");
        }
    }

    public static HeadcountSettings fromEnvironment() {
        return from(System.getenv()::get);
    }

    public static HeadcountSettings from(Map<String, String> values) {
        return from(values::get);
    }

    public static HeadcountSettings from(Function<String, String> env) {
        return new HeadcountSettings(
                value(env, "REFERENCE_TABLE", "headcount-reference"),
                value(env, "SCANS_TABLE", "headcount-scans"),
                value(env, "WINDOWS_TABLE", "headcount-dedup-windows"),
                value(env, "STATISTICS_TABLE", "headcount-statistics"),
                value(env, "ATTENDANCE_RECORDED_STREAM", "attendance-recorded"),
                Duration.parse(value(env, "REFERENCE_CACHE_TTL", "PT15S")),
                Integer.parseInt(value(env, "REFERENCE_CACHE_ENTRIES", "100000")),
                Duration.parse(value(env, "DEDUP_RETENTION", "P2D")),
                Integer.parseInt(value(env, "DECISION_PARALLELISM", "16")),
                value(env, "IOT_DATA_ENDPOINT", null) == null ? null : java.net.URI.create(env.apply("IOT_DATA_ENDPOINT")),
                value(env, "METRICS_NAMESPACE", "Headcount"),
                value(env, "HEADCOUNT_STAGE", LOCAL_STAGE));
    }

    public static HeadcountSettings defaults() {
        return from(name -> null);
    }

    /** A variable's value, or the fallback when it is unset or blank; shared by every function's settings. */
    public static String value(Function<String, String> env, String name, String fallback) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
