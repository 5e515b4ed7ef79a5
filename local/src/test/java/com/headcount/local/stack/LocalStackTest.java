package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.reference.ReferenceKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack started the way bin/local starts it (the same entry point and options, free ports, a temporary
 * data folder, no simulator of its own), then a simulated event played by real gates over MQTT.
 */
class LocalStackTest {

    @TempDir
    Path data;

    @Test
    void a_simulated_event_ends_with_the_ground_truth_stored_and_told_to_the_gates_and_survives_a_restart()
            throws Exception {
        StackOptions options = options();
        StackSimulation.Outcome run;
        var printed = new ByteArrayOutputStream();
        try (LocalStack stack = LocalStack.start(options, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Dashboard: " + stack.dashboard().url()));

            run = new StackSimulation(stack, System.out).run(1500, Duration.ofSeconds(12));

            assertTrue(run.groundTruth().total() >= 2000, "at least 2 000 scans, was " + run.groundTruth().total());
            assertTrue(run.groundTruth().duplicate() > 0 && run.groundTruth().rejected("participant_not_found") > 0
                    && run.groundTruth().rejected("participant_inactive") > 0, "every kind of outcome is exercised");
            assertTrue(run.scenario().allScans().stream().anyMatch(s -> s.whileGateOffline()), "a gate was offline");
            assertEquals(run.groundTruth(), run.system());
            assertTrue(run.gates().complete(), "every scan's decision reached its gate");
            assertEquals(List.of(), List.copyOf(run.decisionMismatches()));
            System.out.println("median scan-to-decision " + run.gates().scanToDecision().median().toMillis() + " ms");

            String counts = get(stack.dashboard().url().resolve("/counts"));
            assertTrue(counts.contains("\"eventId\":\"" + run.scenario().eventId() + "\""), counts);
            assertTrue(counts.contains("\"accepted\":" + run.system().accepted()), counts);
        }

        try (LocalStack again = LocalStack.start(options, new PrintStream(new ByteArrayOutputStream()))) {
            var reference = new DynamoReferenceData(again.dynamo(), again.settings().referenceTable());
            var demo = reference.lookup(List.of(new ReferenceKey.OfEvent(EventLoader.DEMO_EVENT),
                    new ReferenceKey.OfParticipant(EventLoader.DEMO_EVENT, "P-00001"),
                    new ReferenceKey.OfGate(EventLoader.DEMO_EVENT, "north")));
            assertTrue(demo.event(EventLoader.DEMO_EVENT).isPresent());
            assertTrue(demo.participant(EventLoader.DEMO_EVENT, "P-00001").isPresent());
            assertTrue(demo.gate(EventLoader.DEMO_EVENT, "north").isPresent());
            // nothing left to decide after a clean stop; the mappings resume from their checkpoints
            again.awaitCaughtUp(Duration.ofSeconds(60));
            assertEquals(run.system(), StoredOutcomes.tally(again.outcomes().of(run.scenario().eventId())));
        }
    }

    @Test
    void a_taken_port_is_named_with_the_flag_that_moves_it_before_anything_starts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            StackOptions options = StackOptions.parse(List.of("--data", data.toString(), "--mqtt-port",
                    Integer.toString(taken.getLocalPort())), Map.of(), data);
            var error = assertThrows(Ports.PortInUse.class, () -> LocalStack.start(options, System.out));
            assertEquals("port " + taken.getLocalPort() + " (for MQTT broker) is already in use; set --mqtt-port"
                    + " (or HEADCOUNT_MQTT_PORT) to another port", error.getMessage());
            assertTrue(!data.resolve("logs").toFile().exists(), "nothing was started");
        }
    }

    private StackOptions options() {
        return TestStacks.onFreePorts(data);
    }

    private static String get(URI uri) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
