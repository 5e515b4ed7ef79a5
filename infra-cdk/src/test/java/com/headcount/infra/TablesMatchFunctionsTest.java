package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The tables the stack declares are the ones the functions create locally ({@code HeadcountTables}): the same keys,
 * indexes and TTL attribute. The functions' classes are loaded from their jar in a class loader of their own, so
 * nothing of theirs meets CDK's classpath.
 */
class TablesMatchFunctionsTest {

    @Test
    void keysIndexesAndTtlAreTheFunctions() throws Exception {
        Map<String, String> functions = new TreeMap<>();
        String ttl;
        String connectionsTtl;
        String ticketsTtl;
        URL jar = Synthesised.REPOSITORY.functionsJar().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            Object settings = loader.loadClass("com.headcount.adapters.aws.HeadcountSettings").getMethod("defaults").invoke(null);
            List<?> requests = (List<?>) loader.loadClass("com.headcount.adapters.dynamodb.HeadcountTables")
                    .getMethod("all", settings.getClass()).invoke(null, settings);
            for (Object request : requests) {
                String name = ((String) call(request, "tableName")).replaceFirst("^headcount-", "headcount-dev-");
                StringBuilder shape = new StringBuilder(keys(call(request, "keySchema")));
                for (Object index : (List<?>) call(request, "globalSecondaryIndexes")) {
                    shape.append(' ').append(call(index, "indexName")).append(keys(call(index, "keySchema")))
                            .append(call(call(index, "projection"), "projectionTypeAsString"));
                }
                functions.put(name, shape.toString());
            }
            ttl = (String) loader.loadClass("com.headcount.adapters.dynamodb.DynamoDedupWindow").getField("EXPIRES_AT").get(null);
            connectionsTtl = (String) loader.loadClass("com.headcount.adapters.dynamodb.DynamoConnections").getField("TTL").get(null);
            ticketsTtl = (String) loader.loadClass("com.headcount.adapters.dynamodb.DynamoConnectTickets").getField("TTL").get(null);
        }

        Map<String, String> stack = new TreeMap<>();
        Map<String, Object> ttls = new TreeMap<>();
        for (var t : Synthesised.properties(DEV_TEMPLATE, "AWS::DynamoDB::Table")) {
            StringBuilder shape = new StringBuilder(keys(t.get("KeySchema")));
            for (Object index : t.get("GlobalSecondaryIndexes") == null ? List.of() : (List<?>) t.get("GlobalSecondaryIndexes")) {
                Map<?, ?> i = (Map<?, ?>) index;
                shape.append(' ').append(i.get("IndexName")).append(keys(i.get("KeySchema")))
                        .append(((Map<?, ?>) i.get("Projection")).get("ProjectionType"));
            }
            stack.put(String.valueOf(t.get("TableName")), shape.toString());
            if (t.get("TimeToLiveSpecification") != null) ttls.put(String.valueOf(t.get("TableName")), t.get("TimeToLiveSpecification"));
        }
        assertEquals(functions, stack);
        assertEquals(Map.of("headcount-dev-dedup-windows", Map.of("AttributeName", ttl, "Enabled", true),
                "headcount-dev-connections", Map.of("AttributeName", connectionsTtl, "Enabled", true),
                "headcount-dev-dashboard-tickets", Map.of("AttributeName", ticketsTtl, "Enabled", true)), ttls);
    }

    /** "[name HASH, name RANGE]" from SDK KeySchemaElements or template maps alike. */
    private static String keys(Object schema) throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (Object element : (List<?>) schema) {
            if (b.length() > 1) b.append(", ");
            if (element instanceof Map<?, ?> m) {
                b.append(m.get("AttributeName")).append(' ').append(m.get("KeyType"));
            } else {
                b.append(call(element, "attributeName")).append(' ').append(call(element, "keyTypeAsString"));
            }
        }
        return b.append(']').toString();
    }

    private static Object call(Object target, String method) throws Exception {
        return target.getClass().getMethod(method).invoke(target);
    }
}
