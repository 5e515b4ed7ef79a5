package com.headcount.infra;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What differs between stages, read from CDK context ({@code cdk deploy -c name=value}); every value has a default
 * that deploys. The README's deploy section lists them.
 *
 * @param stage              prefixes every name, so stages share an account without colliding
 * @param production         deletion protection and retained tables, streams and buckets on {@code cdk destroy}
 * @param onDemandStreams    on-demand Kinesis (pays per stream-hour and GB) or provisioned shards
 * @param memoryMb           per function, from issue 13's cold-start measurements (see {@link MemorySizes})
 * @param ingestBatchSize    records per ingest invocation (the measured requests per scan assume 1 000)
 * @param ingestBatchWindow  how long Lambda may wait to fill a batch; every second of it is decision latency
 * @param ingestRetryAttempts retries of a failing ingest batch before its range goes to the on-failure queue
 * @param ingestMaxRecordAge records older than this go to the on-failure queue instead of being decided
 * @param ingestEnhancedFanOut a dedicated 2 MB/s read pipe for ingest, pushed over HTTP/2 (lower decision latency,
 *                           $0.015 per consumer-shard-hour on top)
 * @param streamRetention    how long the internal streams keep records; the on-failure runbook must replay within it
 * @param scansRetention     how long {@code scans} keeps records: the replay runbook reads ingest's failed ranges
 *                           from it, and in production a failure on a Friday night must still be replayable on Monday
 * @param apiRateLimit       the HTTP API stage's requests per second (and the WebSocket API's messages)
 * @param apiBurstLimit      the bursts both stages absorb above their rate
 * @param importRateLimit    the participant-import route's own rate: an import can hold an API instance for up to
 *                           the function's timeout, so a burst of them must not take the API's whole reservation
 * @param importBurstLimit   its burst
 * @param concurrency        the functions' reserved concurrency (see {@link Concurrency})
 * @param iteratorAgeAlarm   a mapping behind by more than this raises an alarm
 * @param statsStuckAfter    the statistics mapping retries forever; behind by this much it is called stuck
 * @param dashboardOrigins   browser origins allowed to call the HTTP API besides the stack's own dashboard
 * @param jwtIssuer          the identity provider's issuer URL; its tokens carry {@code roles} and {@code events}
 * @param jwtAudience        the audience the API accepts
 * @param iotDataEndpoint    the account's IoT data endpoint; null: looked up at deploy time
 * @param alarmEmail         where alarms are mailed; null: alarms only go to the SNS topic
 * @param webhooks           the alert receivers, each with its events and a secret of its own in Secrets Manager
 *                           (context {@code webhooks}: {@code "name https://url event,event; name2 https://url2 event"})
 */
public record StageSettings(
        String stage,
        boolean production,
        boolean onDemandStreams,
        int scansShards,
        int attendanceRecordedShards,
        int statisticsUpdatesShards,
        MemorySizes memoryMb,
        int ingestBatchSize,
        Duration ingestBatchWindow,
        int ingestRetryAttempts,
        Duration ingestMaxRecordAge,
        boolean ingestEnhancedFanOut,
        Duration streamRetention,
        Duration scansRetention,
        int apiRateLimit,
        int apiBurstLimit,
        int importRateLimit,
        int importBurstLimit,
        Concurrency concurrency,
        Duration iteratorAgeAlarm,
        Duration statsStuckAfter,
        List<String> dashboardOrigins,
        String jwtIssuer,
        String jwtAudience,
        String iotDataEndpoint,
        String alarmEmail,
        List<Webhook> webhooks) {

    /** A webhook receiver: alerts of its events only, over https only, signed with its own secret. */
    public record Webhook(String name, String url, List<String> events) {
        public Webhook {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) throw new IllegalArgumentException("webhook name: " + name);
            // refused at configuration: an alert names an event's gates and load, it is not sent in clear
            if (!url.startsWith("https://")) throw new IllegalArgumentException("webhook " + name + ": https only");
            events = List.copyOf(events);
            if (events.isEmpty()) throw new IllegalArgumentException("webhook " + name + ": names no event");
        }

        static List<Webhook> parse(String raw) {
            List<Webhook> all = new java.util.ArrayList<>();
            for (String entry : raw.split(";")) {
                String[] f = entry.strip().split("\\s+");
                if (f.length == 1 && f[0].isEmpty()) continue;
                if (f.length != 3) throw new IllegalArgumentException("webhooks: \"name https://url event,event\" each");
                all.add(new Webhook(f[0], f[1], Arrays.stream(f[2].split(",")).filter(e -> !e.isBlank()).toList()));
            }
            return List.copyOf(all);
        }
    }

    /** A placeholder that deploys and lets no token in, until the organisers' identity provider is named. */
    public static final String NO_ISSUER = "https://issuer.invalid/";

    /**
     * Lambda gives CPU in proportion to memory (1 769 MB is one vCPU), and a Java function's first event is CPU work
     * (class loading, the SDK's set-up: BENCHMARKS.md, "Cold start"), while no function needs more than about 150 MB
     * of memory for it. So memory is bought for CPU where someone waits, and kept low where nobody does.
     *
     * @param ingest    1 024 MB: gates wait for the decisions; a batch of 1 000 scans is I/O-bound (16 decisions in
     *                  flight), but JSON, TLS and the JIT want about half a core
     * @param stats     1 024 MB: dashboards wait for the counts; per batch it folds claims and aggregates in memory
     * @param api       1 024 MB: synchronous, so CPU is latency; imports hold up to 6 MB of CSV as objects
     * @param scheduled 512 MB: the statistics clock and the publish retry run once a minute and nobody waits on them;
     *                  a cold start takes about twice as long as at 1 024 MB and costs no more GB-seconds
     * @param dashboards 512 MB: the WebSocket routes answer one small message each; primed by SnapStart, their first
     *                  event after a restore is a single DynamoDB request
     * @param broadcast 1 024 MB: one post per connected dashboard, each a TLS request
     */
    public record MemorySizes(int ingest, int stats, int api, int scheduled, int dashboards, int broadcast) {}

    /**
     * Reserved concurrency: each value is both a guarantee and a ceiling for its function, taken from the account's
     * pool (1 000 by default), of which Lambda keeps 100 unreserved. So the pipelines gates and dashboards wait on
     * always find instances free, whatever the APIs receive, and the APIs cannot empty the pool. 0 reserves nothing
     * (Lambda would read a reservation of 0 as "never run"), for an account too small to reserve.
     *
     * @param ingest     one instance per shard of {@code scans} reads it (parallelization 1): 10 is room for 10 shards
     * @param stats      the same for {@code attendance-recorded}
     * @param api        the HTTP API's function: its ceiling, shared by scans from phones, reads and imports
     * @param dashboards each of the WebSocket API's three route functions: a reconnect storm stays within it
     */
    public record Concurrency(int ingest, int stats, int api, int dashboards) {

        /** What Lambda keeps unreserved in every account and region (Lambda quotas). */
        public static final int UNRESERVED_MINIMUM = 100;

        /** All the stack reserves (three WebSocket route functions). */
        public int reserved() {
            return ingest + stats + api + 3 * dashboards;
        }
    }

    public static StageSettings from(Function<String, Object> context) {
        Values v = new Values(context);
        String stage = v.string("stage", "dev");
        if (!stage.matches("[a-z][a-z0-9]{0,11}")) {
            throw new IllegalArgumentException("stage must be 1 to 12 lower-case letters or digits, starting with a letter: " + stage);
        }
        boolean production = v.bool("production", stage.equals("prod"));
        Duration streamRetention = v.duration("streamRetention", "PT24H");
        return new StageSettings(
                stage,
                production,
                !v.string("streamMode", "on-demand").equals("provisioned"),
                v.integer("scansShards", 1),
                v.integer("attendanceRecordedShards", 1),
                v.integer("statisticsUpdatesShards", 1),
                new MemorySizes(v.integer("ingestMemory", 1024), v.integer("statsMemory", 1024), v.integer("apiMemory", 1024),
                        v.integer("scheduledMemory", 512), v.integer("dashboardsMemory", 512), v.integer("broadcastMemory", 1024)),
                v.integer("ingestBatchSize", 1000),
                v.duration("ingestBatchWindow", "PT0S"),
                v.integer("ingestRetryAttempts", 10),
                v.duration("ingestMaxRecordAge", "PT6H"),
                v.bool("ingestEnhancedFanOut", false),
                streamRetention,
                // a week in production (Kinesis bills the hours past 24); elsewhere the cheap 24 h of the others
                v.duration("scansRetention", production ? "PT168H" : streamRetention.toString()),
                v.integer("apiRateLimit", 200),
                v.integer("apiBurstLimit", 400),
                v.integer("importRateLimit", 1),
                v.integer("importBurstLimit", 2),
                new Concurrency(v.integer("ingestConcurrency", 10), v.integer("statsConcurrency", 10),
                        v.integer("apiConcurrency", 50), v.integer("dashboardsConcurrency", 10)),
                v.duration("iteratorAgeAlarm", "PT1M"),
                v.duration("statsStuckAfter", "PT15M"),
                v.list("dashboardOrigins"),
                v.string("jwtIssuer", NO_ISSUER),
                v.string("jwtAudience", "headcount"),
                v.string("iotDataEndpoint", null),
                v.string("alarmEmail", null),
                Webhook.parse(v.string("webhooks", "")));
    }

    public static StageSettings defaults() {
        return from(name -> null);
    }

    private record Values(Function<String, Object> context) {
        String string(String name, String fallback) {
            Object value = context.apply(name);
            return value == null || value.toString().isBlank() ? fallback : value.toString().strip();
        }

        int integer(String name, int fallback) {
            return Integer.parseInt(string(name, Integer.toString(fallback)));
        }

        boolean bool(String name, boolean fallback) {
            return Boolean.parseBoolean(string(name, Boolean.toString(fallback)));
        }

        Duration duration(String name, String fallback) {
            return Duration.parse(string(name, fallback));
        }

        List<String> list(String name) {
            String raw = string(name, "");
            return raw.isEmpty() ? List.of() : Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }
}
