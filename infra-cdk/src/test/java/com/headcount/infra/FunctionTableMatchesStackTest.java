package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The functions the stack deploys, each with its trigger, are the rows of the functions' {@code FunctionTable}, the
 * list the local stack starts its functions from. The table is read from the functions jar in a class loader of its
 * own (as in {@link TablesMatchFunctionsTest}): the functions' SDK and Jackson never meet CDK's on one class path.
 */
class FunctionTableMatchesStackTest {

    private static final String HANDLERS = "com.headcount.handlers.";

    @Test
    void everyDeployedFunctionAndItsTriggerIsARowOfTheFunctionTable() throws Exception {
        List<String> table;
        URL jar = Synthesised.REPOSITORY.functionsJar().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            table = ((List<?>) loader.loadClass(HANDLERS + "FunctionTable").getMethod("rows").invoke(null)).stream()
                    .map(String::valueOf).toList();
        }
        assertEquals(new TreeSet<>(table), deployed(DEV_TEMPLATE, "headcount-dev-"));
        assertEquals(new TreeSet<>(table), deployed(PROD_TEMPLATE, "headcount-prod-"));
    }

    /** "name handler trigger" for every trigger of one of our functions, as {@code FunctionTable.Row} writes it. */
    @SuppressWarnings("unchecked")
    private static TreeSet<String> deployed(Template template, String prefix) {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) (Map<String, ?>)
                template.toJSON().get("Resources");
        TreeSet<String> rows = new TreeSet<>();
        resources.forEach((id, resource) -> {
            Map<String, Object> p = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            String trigger = switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Lambda::EventSourceMapping" -> "stream " + streamName(resources,
                        referenced(p.get("EventSourceArn"), resources, "AWS::Kinesis::Stream")).replaceFirst(prefix, "");
                case "AWS::Events::Rule" -> p.get("ScheduleExpression") == null ? null : "schedule " + p.get("ScheduleExpression");
                case "AWS::ApiGatewayV2::Route" -> {
                    Map<String, Object> api = resources.get(referenced(p.get("ApiId"), resources, "AWS::ApiGatewayV2::Api"));
                    yield "WEBSOCKET".equals(((Map<?, ?>) api.get("Properties")).get("ProtocolType"))
                            ? "WebSocket " + p.get("RouteKey") : "HTTP API";
                }
                case "AWS::IoT::TopicRule" -> "topic rule " + ruleTopic(p);
                default -> null;
            };
            if (trigger == null) return;
            Object target = switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Lambda::EventSourceMapping" -> p.get("FunctionName");
                case "AWS::Events::Rule" -> p.get("Targets");
                case "AWS::IoT::TopicRule" -> ((Map<?, ?>) p.get("TopicRulePayload")).get("Actions");
                default -> ((Map<?, ?>) resources.get(referenced(p.get("Target"), resources,
                        "AWS::ApiGatewayV2::Integration")).get("Properties")).get("IntegrationUri");
            };
            String handler = handler(resources, target);
            if (handler == null || !handler.startsWith(HANDLERS)) return;
            String className = handler.split("::")[0];
            rows.add(className.substring(HANDLERS.length()) + " " + className + " " + trigger);
        });
        return rows;
    }

    /** The handler of the function (or its alias) a property refers to; null when it refers to none. */
    @SuppressWarnings("unchecked")
    private static String handler(Map<String, Map<String, Object>> resources, Object property) {
        String alias = referenced(property, resources, "AWS::Lambda::Alias");
        String function = alias == null ? referenced(property, resources, "AWS::Lambda::Function")
                : referenced(((Map<?, ?>) resources.get(alias).get("Properties")).get("FunctionName"), resources,
                "AWS::Lambda::Function");
        if (function == null) return null;
        return String.valueOf(((Map<String, Object>) resources.get(function).get("Properties")).get("Handler"));
    }

    /** The levels of a rule's topic after the stage and the event, as FunctionTable names a topic rule's trigger. */
    private static String ruleTopic(Map<String, Object> properties) {
        String sql = String.valueOf(((Map<?, ?>) properties.get("TopicRulePayload")).get("Sql"));
        var from = java.util.regex.Pattern.compile("FROM '([^']+)'").matcher(sql);
        return from.find() ? from.group(1).replaceFirst("^headcount/[^/]+/\\+/", "") : sql;
    }

    /** A stream, or the stream of an enhanced fan-out consumer, by its name. */
    private static String streamName(Map<String, Map<String, Object>> resources, String id) {
        return String.valueOf(((Map<?, ?>) resources.get(id).get("Properties")).get("Name"));
    }

    /** The one resource of the type a property refers to (Ref, Fn::GetAtt), looking inside joins and lists. */
    private static String referenced(Object property, Map<String, Map<String, Object>> resources, String type) {
        List<String> ids = new ArrayList<>();
        collect(property, ids);
        List<String> ofType = ids.stream().distinct()
                .filter(id -> resources.containsKey(id) && type.equals(resources.get(id).get("Type"))).toList();
        if (ofType.isEmpty() && "AWS::Kinesis::Stream".equals(type)) {
            // an enhanced fan-out consumer (IngestFunction on a prod stage): its stream
            for (String id : ids) {
                if (resources.containsKey(id) && "AWS::Kinesis::StreamConsumer".equals(resources.get(id).get("Type"))) {
                    return referenced(((Map<?, ?>) resources.get(id).get("Properties")).get("StreamARN"), resources, type);
                }
            }
        }
        if (ofType.size() > 1) throw new AssertionError("more than one " + type + " in " + property);
        return ofType.isEmpty() ? null : ofType.get(0);
    }

    private static void collect(Object value, List<String> ids) {
        if (value instanceof Map<?, ?> m) {
            if (m.get("Ref") instanceof String ref) ids.add(ref);
            if (m.get("Fn::GetAtt") instanceof List<?> att && !att.isEmpty()) ids.add(String.valueOf(att.get(0)));
            m.values().forEach(v -> collect(v, ids));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, ids));
        }
    }
}
