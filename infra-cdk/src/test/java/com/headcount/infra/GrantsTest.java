package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 17: each function's role grants exactly the calls its code makes. The calls are those every function made
 * in the local module's integration tests, recorded at the SDK ({@code AwsCalls}) into the checked-in
 * {@code aws-calls.txt} (AwsCallsTest keeps it equal to what the tests record). Every recorded call must be granted
 * to that function's role, on that resource; every grant must be a recorded call or one of the {@link #EXCEPTIONS}.
 */
class GrantsTest {

    /**
     * Granted though no test records the call: what AWS itself does with the function's role, and calls the code
     * makes on paths no integration test reaches.
     *
     * @param functions none for every function
     * @param resource  the variable naming the resource; null for any
     */
    record Exception(Set<String> functions, Set<String> actions, String resource, String reason) {
        Exception(Set<String> functions, Set<String> actions, String reason) {
            this(functions, actions, null, reason);
        }

        boolean covers(String function, Access granted, Map<?, ?> variables) {
            return (functions.isEmpty() || functions.contains(function)) && actions.contains(granted.action())
                    && (resource == null || (variables.containsKey(resource)
                    && render(variables.get(resource)).equals(granted.resource())));
        }
    }

    private static final Set<String> STREAM_TRIGGERED = Set.of("IngestFunction", "StatsFunction", "BroadcastFunction",
            "AlertDeliveryFunction");

    static final List<Exception> EXCEPTIONS = List.of(
            new Exception(Set.of(), Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                    "the Lambda runtime writes the function's log group with its role; the code makes no such call"),
            new Exception(STREAM_TRIGGERED, Set.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams",
                    "kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer"),
                    "Lambda's event source mapping reads the trigger stream with the function's role (stream.grantRead);"
                            + " locally KinesisEventSourceMapping reads it with a client of its own"),
            new Exception(STREAM_TRIGGERED, Set.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                    "the event source mapping sends what it gave up on to the on-failure queue with the function's role;"
                            + " locally InMemoryOnFailureDestination stands in for it"),
            new Exception(Set.of("IngestFunction", "ApiFunction"), Set.of("dynamodb:PutItem"), "WINDOWS_TABLE",
                    "DynamoDedupWindow.replaceExpired renews a window item whose expiry passed before DynamoDB's TTL"
                            + " deleted it; no test holds an expired window item"),
            new Exception(Set.of("ApiFunction"), Set.of("dynamodb:GetItem"), "SCANS_TABLE",
                    "DynamoOutcomeLog.recordFirst reads the stored outcome when a refused first write carries no item;"
                            + " the ingest tests reach it, the API tests do not"),
            new Exception(Set.of("AlertDeliveryFunction"), Set.of("secretsmanager:GetSecretValue"),
                    "each webhook receiver's own secret, whose ARN HEADCOUNT_WEBHOOK_TARGETS names, read at its first"
                            + " delivery; the local stack has no Secrets Manager (its targets read a file or a variable),"
                            + " WebhooksTemplateTest pins the grant to exactly those secrets"),
            new Exception(Set.of("AllowListFunction"), Set.of("iot:Publish"),
                    "a list over a day old is built again when a gate asks (AllowLists.REFRESH_AFTER) and its delta goes"
                            + " to the event's deltas topic; no local test runs for a day (a race of two first requests"
                            + " sometimes makes the call)"),
            new Exception(Set.of("DashboardMessageFunction"), Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
                    "STATISTICS_TABLE", "a subscription's answer recounts the active-participant counter when it is"
                            + " missing (ParticipantCounts); no dashboard test subscribes to an event without one"));

    /** One grant or call: an action on a resource as the template renders it. */
    record Access(String action, String resource) implements Comparable<Access> {
        @Override
        public int compareTo(Access o) {
            return (action + " " + resource).compareTo(o.action + " " + o.resource);
        }

        @Override
        public String toString() {
            return action + " " + resource;
        }
    }

    @Test
    void every_function_is_granted_exactly_the_calls_its_tests_made_in_dev() throws IOException {
        assertGrantsMatchCalls(DEV_TEMPLATE);
    }

    @Test
    void every_function_is_granted_exactly_the_calls_its_tests_made_in_production() throws IOException {
        assertGrantsMatchCalls(PROD_TEMPLATE);
    }

    private static void assertGrantsMatchCalls(Template template) throws IOException {
        Map<String, Set<String>> calls = recordedCalls();
        Map<String, String> problems = new TreeMap<>();
        for (var fn : Synthesised.resources(template, "AWS::Lambda::Function").entrySet()) {
            Map<?, ?> props = (Map<?, ?>) ((Map<?, ?>) fn.getValue()).get("Properties");
            String description = String.valueOf(props.get("Description"));
            if (!description.startsWith("com.headcount.handlers.")) continue;
            String function = description.substring(description.lastIndexOf('.') + 1);
            Map<?, ?> variables = environment(props);
            Set<Access> granted = granted(template, roleOf(props));

            Set<String> notGranted = new TreeSet<>();
            Set<Access> used = new TreeSet<>();
            Set<String> called = calls.getOrDefault(function, Set.of());
            if (called.isEmpty()) problems.put(function, "no test recorded a call of it (aws-calls.txt)");
            for (String call : called) {
                String action = call.substring(0, call.indexOf(' '));
                String resource = call.substring(call.indexOf(' ') + 1);
                List<Access> matching = granted.stream().filter(g -> g.action().equals(action)
                        && matches(resource, g.resource(), variables)).toList();
                if (matching.isEmpty()) notGranted.add(call);
                used.addAll(matching);
            }
            Set<Access> unused = new TreeSet<>();
            for (Access g : granted) {
                if (used.contains(g)) continue;
                if (EXCEPTIONS.stream().anyMatch(e -> e.covers(function, g, variables))) continue;
                unused.add(g);
            }
            if (!notGranted.isEmpty()) problems.merge(function, "called but not granted: " + notGranted, (a, b) -> a + "; " + b);
            if (!unused.isEmpty()) problems.merge(function, "granted but no test called it: " + unused, (a, b) -> a + "; " + b);
        }
        assertEquals(Map.of(), problems);
    }

    /**
     * Whether a granted resource is the one a call named: a variable of the function's environment (and an index of
     * its table), or a pattern (an IoT topic, WebSocket connections) the granted ARN ends with.
     */
    private static boolean matches(String called, String granted, Map<?, ?> variables) {
        int slash = called.indexOf('/');
        String variable = slash < 0 ? called : called.substring(0, slash);
        if (variables.containsKey(variable)) {
            String suffix = slash < 0 ? "" : called.substring(slash);
            return granted.equals(render(variables.get(variable)) + suffix);
        }
        if (called.startsWith("topic/")) return covers(granted, withVariables(called, variables));
        return called.contains("@connections") && covers(granted, called);
    }

    /** A topic pattern with each segment that names a variable (the stage) replaced by the function's value. */
    private static String withVariables(String topic, Map<?, ?> variables) {
        List<String> segments = new ArrayList<>();
        for (String segment : topic.split("/", -1)) {
            segments.add(variables.containsKey(segment) ? render(variables.get(segment)) : segment);
        }
        return String.join("/", segments);
    }

    /**
     * Whether a granted ARN covers a called pattern: segment by segment from the end, a granted {@code *} matching
     * anything (the first called segment only ends the granted one: {@code …:topic}).
     */
    private static boolean covers(String granted, String called) {
        String[] g = granted.split("/", -1);
        String[] c = called.split("/", -1);
        if (g.length < c.length) return false;
        for (int i = 0; i < c.length; i++) {
            String gs = g[g.length - c.length + i];
            boolean ok = gs.equals("*") || gs.equals(c[i]) || (i == 0 && gs.endsWith(":" + c[i]));
            if (!ok) return false;
        }
        return true;
    }

    private static Map<?, ?> environment(Map<?, ?> props) {
        Object env = props.get("Environment");
        if (!(env instanceof Map<?, ?> map) || !(map.get("Variables") instanceof Map<?, ?> variables)) return Map.of();
        return variables;
    }

    private static String roleOf(Map<?, ?> props) {
        Object role = props.get("Role");
        if (role instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts) {
            return String.valueOf(parts.get(0));
        }
        throw new IllegalStateException("a function's role not by reference: " + role);
    }

    /** Every action on every resource the role's policies allow. */
    private static Set<Access> granted(Template template, String role) {
        Set<Access> granted = new TreeSet<>();
        for (var policy : Synthesised.properties(template, "AWS::IAM::Policy")) {
            if (!asList(policy.get("Roles")).contains(Map.of("Ref", role))) continue;
            for (Object s : asList(((Map<?, ?>) policy.get("PolicyDocument")).get("Statement"))) {
                Map<?, ?> statement = (Map<?, ?>) s;
                if (!"Allow".equals(statement.get("Effect"))) continue;
                for (Object action : asList(statement.get("Action"))) {
                    for (Object resource : asList(statement.get("Resource"))) {
                        granted.add(new Access(String.valueOf(action), render(resource)));
                    }
                }
            }
        }
        for (var r : Synthesised.resources(template, "AWS::IAM::Role").entrySet()) {
            if (!r.getKey().equals(role)) continue;
            Map<?, ?> props = (Map<?, ?>) ((Map<?, ?>) r.getValue()).get("Properties");
            if (props.get("Policies") != null || props.get("ManagedPolicyArns") != null) {
                granted.add(new Access("(inline or managed policy)", String.valueOf(props)));
            }
        }
        return granted;
    }

    /** A resource as text: a reference or an attribute by its logical id, a join by its parts. */
    static String render(Object value) {
        if (value instanceof String s) return s;
        if (value instanceof Map<?, ?> map) {
            if (map.get("Ref") != null) return String.valueOf(map.get("Ref"));
            if (map.get("Fn::GetAtt") instanceof List<?> parts) return String.valueOf(parts.get(0));
            if (map.get("Fn::Join") instanceof List<?> join) {
                StringBuilder text = new StringBuilder();
                List<?> parts = (List<?>) join.get(1);
                for (int i = 0; i < parts.size(); i++) {
                    if (i > 0) text.append(join.get(0));
                    text.append(render(parts.get(i)));
                }
                return text.toString();
            }
        }
        return String.valueOf(value);
    }

    /** aws-calls.txt: function → "action resource". */
    static Map<String, Set<String>> recordedCalls() throws IOException {
        Map<String, Set<String>> calls = new TreeMap<>();
        try (InputStream in = GrantsTest.class.getResourceAsStream("aws-calls.txt")) {
            if (in == null) throw new IllegalStateException("aws-calls.txt is missing (AwsCallsTest writes it)");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                // "# sometimes: why" marks a call only a race makes: granted all the same
                int mark = line.indexOf(" #");
                String[] parts = (mark < 0 ? line : line.substring(0, mark)).trim().split(" ", 2);
                calls.computeIfAbsent(parts[0], f -> new TreeSet<>()).add(parts[1]);
            }
        }
        return calls;
    }

    private static List<Object> asList(Object value) {
        if (value == null) return List.of();
        if (value instanceof List<?> list) return new ArrayList<>(list);
        return List.of(value);
    }
}
