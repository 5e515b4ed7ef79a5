package com.headcount.local.lambda;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.handlers.ApiSettings;
import com.headcount.handlers.DashboardSettings;
import com.headcount.handlers.DeliverySettings;
import com.headcount.handlers.Settings;
import com.headcount.handlers.StatsSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.iotdataplane.model.PublishRequest;

/**
 * Every AWS call each function makes, as IAM sees it: the action ({@code dynamodb:PutItem}) and the resource, named
 * by the environment variable that tells the function its name ({@code SCANS_TABLE}, {@code SCANS_TABLE/index/byGate},
 * {@code ATTENDANCE_RECORDED_STREAM}); IoT topics and WebSocket connections by their pattern. Attach
 * {@link #of} where a function's clients are built (the local stack, the test harnesses); the grants test compares
 * what was recorded with what the CDK app grants each function's role.
 *
 * <p>One record per JVM: every function's clients add to it, whatever built them.
 */
public final class AwsCalls {

    private static final Map<String, Set<String>> CALLS = new ConcurrentHashMap<>();

    private AwsCalls() {
    }

    /**
     * The interceptor for one function's clients.
     *
     * @param function  the handler's class name, e.g. {@code StatsFunction}
     * @param variables each resource name the function was given, to the variable that gave it
     */
    public static ExecutionInterceptor of(String function, Map<String, String> variables) {
        Set<String> calls = CALLS.computeIfAbsent(function, f -> new ConcurrentSkipListSet<>());
        Map<String, String> names = Map.copyOf(variables);
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                for (String call : calls(context.request(), operation, names)) calls.add(call);
            }
        };
    }

    /** A call made without an SDK client (the local stand-in of a bucket), as IAM sees it: "action resource". */
    public static void record(String function, String call) {
        CALLS.computeIfAbsent(function, f -> new ConcurrentSkipListSet<>()).add(call);
    }

    /** What was recorded in this JVM: function → "action resource" lines, sorted. */
    public static SortedMap<String, SortedSet<String>> recorded() {
        SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
        CALLS.forEach((function, calls) -> {
            if (!calls.isEmpty()) copy.put(function, new TreeSet<>(calls));
        });
        return copy;
    }

    public static Map<String, String> variables(HeadcountSettings s) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(s.referenceTable(), "REFERENCE_TABLE");
        names.put(s.scansTable(), "SCANS_TABLE");
        names.put(s.windowsTable(), "WINDOWS_TABLE");
        names.put(s.statisticsTable(), "STATISTICS_TABLE");
        names.put(s.attendanceRecordedStream(), "ATTENDANCE_RECORDED_STREAM");
        names.put(s.stage(), "HEADCOUNT_STAGE");
        return names;
    }

    public static Map<String, String> variables(StatsSettings s) {
        Map<String, String> names = variables(s.shared());
        names.put(s.statisticsTable(), "STATISTICS_TABLE");
        names.put(s.statisticsUpdatesStream(), "STATISTICS_UPDATES_STREAM");
        return names;
    }

    public static Map<String, String> variables(ApiSettings s) {
        Map<String, String> names = variables(s.shared());
        names.put(s.ticketsTable(), "DASHBOARD_TICKETS_TABLE");
        return names;
    }

    public static Map<String, String> variables(DashboardSettings s) {
        Map<String, String> names = variables(s.shared());
        names.put(s.connectionsTable(), "CONNECTIONS_TABLE");
        names.put(s.ticketsTable(), "DASHBOARD_TICKETS_TABLE");
        return names;
    }

    /** Every name the settings give any function (a function told a name it never uses records nothing under it). */
    public static Map<String, String> variables(Settings s) {
        Map<String, String> names = variables(s.shared());
        names.putAll(variables(s.stats()));
        names.putAll(variables(s.api()));
        names.putAll(variables(s.dashboards()));
        names.putAll(variables(s.delivery()));
        return names;
    }

    public static Map<String, String> variables(DeliverySettings s) {
        Map<String, String> names = variables(s.shared());
        if (s.eventBusName() != null) names.put(s.eventBusName(), "ALERTS_EVENT_BUS");
        return names;
    }

    /** The calls one request makes, as "action resource". */
    static List<String> calls(SdkRequest request, String operation, Map<String, String> names) {
        String service = service(request);
        List<String> calls = new ArrayList<>();
        switch (service) {
            case "dynamodb" -> {
                // (no transactions in the code: a TransactWriteItems would need its items' actions recorded instead)
                for (String table : tables(request)) {
                    String resource = named(table, names);
                    String index = request.getValueForField("IndexName", String.class).orElse(null);
                    calls.add("dynamodb:" + operation + " " + (index == null ? resource : resource + "/index/" + index));
                }
            }
            case "kinesis" -> {
                String stream = request.getValueForField("StreamName", String.class)
                        .or(() -> request.getValueForField("StreamARN", String.class)
                                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1)))
                        .orElse("*");
                calls.add("kinesis:" + operation + " " + named(stream, names));
            }
            // a gate's topic by its pattern: the grant is for every event's and gate's of the function's own stage
            case "iotdataplane" -> calls.add("iot:" + operation + " topic/" + (request instanceof PublishRequest publish
                    ? gateTopicPattern(publish.topic(), names) : "*"));
            case "apigatewaymanagementapi" -> calls.add("execute-api:ManageConnections " + switch (operation) {
                case "PostToConnection" -> "POST";
                case "DeleteConnection" -> "DELETE";
                default -> "GET";
            } + "/@connections/*");
            case "eventbridge" -> {
                Set<String> buses = new TreeSet<>();
                if (request instanceof PutEventsRequest put) {
                    put.entries().forEach(e -> buses.add(e.eventBusName() == null ? "default" : e.eventBusName()));
                }
                for (String bus : buses) calls.add("events:" + operation + " " + named(bus, names));
            }
            default -> calls.add(service + ":" + operation + " *");
        }
        return calls;
    }

    private static String service(SdkRequest request) {
        String pkg = request.getClass().getPackageName();
        // software.amazon.awssdk.services.<service>.model
        String[] parts = pkg.split("\\.");
        return parts.length >= 5 ? parts[4] : pkg;
    }

    private static List<String> tables(SdkRequest request) {
        var table = request.getValueForField("TableName", String.class);
        if (table.isPresent()) return List.of(table.get());
        Set<String> tables = new TreeSet<>();
        request.getValueForField("RequestItems", Map.class).ifPresent(items -> {
            for (Object name : items.keySet()) tables.add(String.valueOf(name));
        });
        return tables.isEmpty() ? List.of("*") : List.copyOf(tables);
    }

    /** A name the function was told by a variable becomes the variable; any other stays as it is, to stand out. */
    private static String gateTopicPattern(String topic, Map<String, String> names) {
        var m = java.util.regex.Pattern.compile("^headcount/([^/]+)/[^/]+/gates/[^/]+/(.*)$").matcher(topic);
        if (m.matches()) return "headcount/" + named(m.group(1), names) + "/*/gates/*/" + m.group(2);
        // an event's topic of all its gates (the allow-list's deltas)
        var e = java.util.regex.Pattern.compile("^headcount/([^/]+)/[^/]+/(allowlist/deltas)$").matcher(topic);
        return e.matches() ? "headcount/" + named(e.group(1), names) + "/*/" + e.group(2) : topic;
    }

    private static String named(String name, Map<String, String> names) {
        return names.getOrDefault(name, name);
    }
}
