package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.local.emulator.LocalAws;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Issue 17: the stack's JVM killed with SIGKILL (a crash, an out-of-memory kill) leaves no emulator behind holding
 * the data folder's LevelDB locks: the next start on the same folder comes up with the data in place.
 */
class LocalStackKillTest {

    private static final Pattern ENDPOINT = Pattern.compile("^\\s+(DynamoDB|Kinesis) \\(\\S+\\)\\s+(http://\\S+)");
    private static final long STARTUP_SECONDS = 120;

    @TempDir
    Path data;

    @Test
    void a_stack_killed_with_sigkill_starts_again_on_its_data_folder_with_its_data() throws Exception {
        Path folder = data.resolve("stack");
        Process first = startInChildJvm(folder);
        Map<String, URI> endpoints = new ConcurrentHashMap<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> readOutput(first, endpoints, running));
        List<ProcessHandle> emulators;
        try {
            running.get(STARTUP_SECONDS, TimeUnit.SECONDS);
            try (var dynamo = LocalAws.dynamoDb(endpoints.get("DynamoDB"));
                 var kinesis = LocalAws.kinesis(endpoints.get("Kinesis"))) {
                // ACTIVE before the first write: dynalite refuses writes to a CREATING table (once in two CI runs)
                LocalAws.createTable(dynamo, CreateTableRequest.builder().tableName("survivor")
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                        .billingMode("PAY_PER_REQUEST").build());
                dynamo.putItem(p -> p.tableName("survivor").item(Map.of("id", AttributeValue.fromS("before-the-kill"))));
                LocalAws.createStream(kinesis, "survivor", 1);
                // settled before the kill: the emulator has answered for the item
                assertTrue(dynamo.getItem(g -> g.tableName("survivor").consistentRead(true)
                        .key(Map.of("id", AttributeValue.fromS("before-the-kill")))).hasItem());
            }
            emulators = first.descendants().toList();
            assertTrue(emulators.size() >= 2, "dynalite and kinesalite run as children of the stack: " + emulators);
        } finally {
            first.destroyForcibly();
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the killed JVM is gone");
        assertEquals(137, first.exitValue(), "killed by SIGKILL, no shutdown hook ran");
        // what the fix guarantees: the emulators end by themselves once their pipe from the killed JVM is closed
        for (ProcessHandle emulator : emulators) {
            emulator.onExit().get(30, TimeUnit.SECONDS);
            assertTrue(!emulator.isAlive(), "the killed stack's emulator " + emulator.pid() + " is gone");
        }

        try (LocalStack again = LocalStack.start(options(folder), new PrintStream(new ByteArrayOutputStream()))) {
            var item = again.dynamo().getItem(g -> g.tableName("survivor")
                    .key(Map.of("id", AttributeValue.fromS("before-the-kill")))).item();
            assertEquals("before-the-kill", item.get("id").s(), "the table written before the kill is still there");
            try (var kinesis = LocalAws.kinesis(kinesisEndpoint(again))) {
                assertEquals(1, kinesis.describeStreamSummary(d -> d.streamName("survivor"))
                        .streamDescriptionSummary().openShardCount());
            }
        }
    }

    /** The started stack's options carry the ports it claimed. */
    private static URI kinesisEndpoint(LocalStack stack) {
        return URI.create("http://127.0.0.1:" + stack.options().port(StackOptions.Service.KINESIS));
    }

    private Process startInChildJvm(Path folder) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("headcount.emulators.dir", "headcount.dashboard.dir", "headcount.events.dir",
                "logback.configurationFile")) {
            String value = System.getProperty(property);
            if (value != null) command.add("-D" + property + "=" + value);
        }
        command.add(LocalStack.class.getName());
        command.addAll(arguments(folder));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static StackOptions options(Path folder) {
        return StackOptions.parse(arguments(folder), Map.of(), folder);
    }

    private static List<String> arguments(Path folder) {
        List<String> args = new ArrayList<>(List.of("--data", folder.toString(), "--no-simulator"));
        for (StackOptions.Service service : StackOptions.Service.values()) {
            args.add(service.flag);
            args.add("0");
        }
        return args;
    }

    /** Reads the child's output to its end (so it never blocks on a full pipe), noting its endpoints. */
    private static void readOutput(Process child, Map<String, URI> endpoints, CompletableFuture<Void> running) {
        var seen = new StringBuilder();
        try (var lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                var endpoint = ENDPOINT.matcher(line);
                if (endpoint.find()) endpoints.put(endpoint.group(1), URI.create(endpoint.group(2)));
                if (line.startsWith("running;")) running.complete(null);
            }
        } catch (Exception e) {
            running.completeExceptionally(e);
        }
        running.completeExceptionally(new AssertionError("the stack ended before it was running:\n" + seen));
    }
}
