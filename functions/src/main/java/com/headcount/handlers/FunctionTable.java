package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.headcount.adapters.aws.AwsClients;
import java.time.Clock;
import java.util.List;

/**
 * The functions Headcount deploys: name, handler class and trigger, one row each. The local stack starts its
 * functions from this list; the CDK app declares the same (infra-cdk's FunctionTableMatchesStackTest compares this
 * list, loaded from the functions jar in a class loader of its own, with the synthesised template: the CDK app cannot
 * have the functions on its class path), and docs/architecture.md lists it ("The functions", checked by
 * FunctionTableTest).
 */
public final class FunctionTable {

    /**
     * What starts a function. {@code source}: the stream's name before the stage's prefix, a rate, a route key, the
     * last levels of a gate topic that an IoT topic rule selects.
     */
    public record Trigger(Kind kind, String source) {
        public enum Kind { STREAM, SCHEDULE, HTTP_API, WEBSOCKET_ROUTE, TOPIC_RULE }

        @Override
        public String toString() {
            return switch (kind) {
                case STREAM -> "stream " + source;
                case SCHEDULE -> "schedule " + source;
                case HTTP_API -> "HTTP API";
                case WEBSOCKET_ROUTE -> "WebSocket " + source;
                case TOPIC_RULE -> "topic rule " + source;
            };
        }
    }

    /** Builds the handler from the settings and the function's own clients ({@link Functions}). */
    public interface Build {
        RequestHandler<?, ?> handler(Settings settings, AwsClients clients, Clock clock);
    }

    /** @param handler the class Lambda instantiates, through its constructor without arguments */
    public record Row(String name, Class<? extends RequestHandler<?, ?>> handler, Trigger trigger, Build build) {

        /** "name handler-class trigger": what the table's readers outside this class loader compare. */
        @Override
        public String toString() {
            return name + " " + handler.getName() + " " + trigger;
        }
    }

    public static final String SCANS = "scans";
    public static final String ATTENDANCE_RECORDED = "attendance-recorded";
    public static final String STATISTICS_UPDATES = "statistics-updates";
    public static final String EVERY_MINUTE = "rate(1 minute)";
    /** A gate asking for its allow-list: {@code headcount/<stage>/<event>/gates/<gate>/allowlist/get}. */
    public static final String ALLOWLIST_REQUEST = "gates/+/allowlist/get";

    public static final List<Row> ALL = List.of(
            new Row("IngestFunction", IngestFunction.class, stream(SCANS),
                    (s, c, clock) -> new IngestFunction(Functions.ingest(s, c, clock))),
            new Row("StatsFunction", StatsFunction.class, stream(ATTENDANCE_RECORDED),
                    (s, c, clock) -> new StatsFunction(Functions.stats(s, c, clock))),
            new Row("StatsClockFunction", StatsClockFunction.class, new Trigger(Trigger.Kind.SCHEDULE, EVERY_MINUTE),
                    (s, c, clock) -> new StatsClockFunction(Functions.statsClock(s, c, clock))),
            new Row("AlertDeliveryFunction", AlertDeliveryFunction.class, stream(STATISTICS_UPDATES),
                    (s, c, clock) -> new AlertDeliveryFunction(Functions.alertDelivery(s, c, clock))),
            new Row("BroadcastFunction", BroadcastFunction.class, stream(STATISTICS_UPDATES),
                    (s, c, clock) -> new BroadcastFunction(Functions.broadcast(s, c, clock))),
            new Row("ApiFunction", ApiFunction.class, new Trigger(Trigger.Kind.HTTP_API, "/api/v1"),
                    (s, c, clock) -> new ApiFunction(Functions.api(s, c, clock))),
            new Row("PublishRetryFunction", PublishRetryFunction.class, new Trigger(Trigger.Kind.SCHEDULE, EVERY_MINUTE),
                    (s, c, clock) -> new PublishRetryFunction(Functions.publishRetry(s, c, clock))),
            new Row("DashboardConnectFunction", DashboardConnectFunction.class, route("$connect"),
                    (s, c, clock) -> new DashboardConnectFunction(Functions.dashboards(s, c, clock))),
            new Row("DashboardDisconnectFunction", DashboardDisconnectFunction.class, route("$disconnect"),
                    (s, c, clock) -> new DashboardDisconnectFunction(Functions.dashboards(s, c, clock))),
            new Row("DashboardMessageFunction", DashboardMessageFunction.class, route("$default"),
                    (s, c, clock) -> new DashboardMessageFunction(Functions.dashboards(s, c, clock))),
            new Row("AllowListFunction", AllowListFunction.class, new Trigger(Trigger.Kind.TOPIC_RULE, ALLOWLIST_REQUEST),
                    (s, c, clock) -> new AllowListFunction(Functions.allowList(s, c, clock))));

    private FunctionTable() {}

    /** The rows as text, for readers in another class loader (the CDK app's tests). */
    public static List<String> rows() {
        return ALL.stream().map(Row::toString).toList();
    }

    public static Row named(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + name));
    }

    private static Trigger stream(String name) {
        return new Trigger(Trigger.Kind.STREAM, name);
    }

    private static Trigger route(String key) {
        return new Trigger(Trigger.Kind.WEBSOCKET_ROUTE, key);
    }
}
