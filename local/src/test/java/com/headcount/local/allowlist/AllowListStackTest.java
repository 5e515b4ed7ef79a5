package com.headcount.local.allowlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Decision;
import com.headcount.device.DecisionListener;
import com.headcount.device.Direction;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import com.headcount.device.ScanTiming;
import com.headcount.device.edge.AllowListSync;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.GateAnswer;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.LocalStack;
import com.headcount.local.stack.TestStacks;
import com.headcount.local.stack.MqttProbe;
import com.headcount.local.stack.StackOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allow-list end to end on the local stack: a real gate asks over MQTT, the topic rule invokes the function, the
 * gate fetches its list from the signed loopback URL and checks its hash, answers a scan at once, and the cloud's
 * decision agrees; an organiser deactivates a participant over the HTTP API, the gate takes the delta, and its next
 * answer for that participant is a rejection, as the cloud's. The bucket refuses unsigned, forged and cross-origin
 * requests.
 */
class AllowListStackTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void aGateGetsItsListAnswersAtOnceAsTheCloudDecidesAndTakesAnOrganisersChangeAsADelta() throws Exception {
        List<Decision> decisions = new CopyOnWriteArrayList<>();
        List<Correction> corrections = new CopyOnWriteArrayList<>();
        List<URI> fetched = new CopyOnWriteArrayList<>();
        AllowListSync.Fetcher http = AllowListSync.httpFetcher();
        try (LocalStack stack = LocalStack.start(options(),
                new PrintStream(new ByteArrayOutputStream()))) {
            GateTopics topics = GateTopics.local(EventLoader.DEMO_EVENT, "north");
            GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", stack.broker().port(),
                    "allowlist-test-north"), topics, data.resolve("gate"));
            try (GateClient gate = new GateClient(config, new DecisionListener() {
                @Override
                public void onDecision(Decision decision, Optional<ScanTiming> timing) {
                    decisions.add(decision);
                }

                @Override
                public void onCorrection(Correction correction) {
                    corrections.add(correction);
                }
            }, Clock.systemUTC(), url -> {
                fetched.add(url);
                return http.get(url);
            })) {
                gate.start();
                until(() -> gate.edge().store().list().isPresent(), "the gate loads its list");
                long first = gate.edge().store().list().orElseThrow().version();
                assertEquals(1000, gate.edge().store().list().orElseThrow().participantCount());

                GateAnswer in = gate.answer(scan("al-1", "P-00001"));
                assertEquals("accepted", in.provisional().orElseThrow().verdict().wireName());
                GateAnswer cancelled = gate.answer(scan("al-2", "P-00040"));
                assertEquals("participant_inactive", cancelled.provisional().orElseThrow().reason().code(),
                        "every 40th demo participant is cancelled");
                until(() -> decided("al-1", decisions) && decided("al-2", decisions), "the cloud decides both");
                assertEquals("accepted", decision("al-1", decisions).outcome());
                assertEquals("participant_inactive", decision("al-2", decisions).reason());

                int status = organiser(stack, "PUT", "/api/v1/events/demo/participants/P-00002/status",
                        "{\"status\":\"inactive\"}");
                assertEquals(200, status);
                until(() -> gate.edge().store().list().orElseThrow().version() > first, "the delta reaches the gate");
                assertEquals(1, fetched.size(), "a delta, not a second download: " + fetched);
                GateAnswer refused = gate.answer(scan("al-3", "P-00002"));
                assertEquals("participant_inactive", refused.provisional().orElseThrow().reason().code());
                until(() -> decided("al-3", decisions), "the cloud decides it");
                assertEquals("participant_inactive", decision("al-3", decisions).reason());
                assertEquals(List.of(), corrections, "the gate and the cloud agreed on every scan");

                // the URL the gate was given works once, and only as given
                URI url = fetched.get(0);
                assertEquals(200, get(url, null).statusCode());
                byte[] body = get(url, null).body();
                assertEquals(first, AllowListCodec.parse(AllowListCodec.gunzip(body)).version());
                String signed = url.toString();
                int at = signed.indexOf("signature=") + "signature=".length();
                String forged = signed.substring(0, at) + (signed.charAt(at) == '0' ? '1' : '0') + signed.substring(at + 1);
                assertEquals(403, get(URI.create(forged), null).statusCode(), "forged");
                assertEquals(403, get(URI.create(url.toString().substring(0, url.toString().indexOf('?'))), null)
                        .statusCode(), "unsigned");
                assertEquals(403, get(url, "http://evil.example").statusCode(), "another origin");
            }
        }
    }

    @Test
    void theFirstGateToAskForAnEventLoadedWithoutAListHasOneBuiltAndAnUnknownGateIsNotAnswered() throws Exception {
        try (LocalStack stack = LocalStack.start(options(),
                new PrintStream(new ByteArrayOutputStream()))) {
            // written straight into the table, as a tool outside the API would: nothing built its list
            var reference = new DynamoReferenceData(stack.dynamo(), stack.settings().referenceTable());
            Instant start = Instant.now().minus(Duration.ofHours(1));
            reference.save(AttendanceEvent.withDefaults("loaded", start, start.plus(Duration.ofHours(8)), ZoneOffset.UTC));
            reference.save(new Gate("loaded", "west", "West", true, 30));
            reference.saveAll(List.of(new Participant("loaded", "L-1", "active"), new Participant("loaded", "L-2", "cancelled")));
            try (MqttProbe probe = new MqttProbe(stack.broker().port(), "headcount/local/loaded/gates/+/allowlist")) {
                until(() -> probe.subscriptions.get() == 1, "the probe listens");
                probe.publish("headcount/local/loaded/gates/intruder/allowlist/get", "{}".getBytes(StandardCharsets.UTF_8));
                probe.publish("headcount/local/loaded/gates/west/allowlist/get", "{\"haveVersion\":null}".getBytes(StandardCharsets.UTF_8));
                // the first version is announced to the event's gate, then the answer to its request follows
                until(() -> probe.received.size() >= 2, "the answer");
                for (MqttProbe.Message m : probe.received) {
                    assertEquals("headcount/local/loaded/gates/west/allowlist", m.topic(), "only the event's gate hears");
                }
                Map<String, Object> body = JSON.std.mapFrom(probe.received.getLast().payload());
                byte[] list = get(URI.create((String) body.get("url")), null).body();
                var verified = AllowListCodec.verified(list, "loaded", ((Number) body.get("version")).longValue(),
                        (String) body.get("sha256"));
                assertEquals(2, verified.participantCount());
                assertEquals("participant_inactive", com.headcount.core.allowlist.EdgeRules.decide(
                        new com.headcount.core.scan.Scan("x", "loaded", "L-2", "west", Instant.now(), "Z",
                                com.headcount.core.scan.ScanMethod.QR_SCAN, null, null, null),
                        verified, Instant.now(), s -> Optional.empty()).reason().code());
            }
        }
    }

    /** As bin/local starts it, on free ports, without the simulator. */
    private StackOptions options() {
        return TestStacks.onFreePorts(data);
    }

    private static Scan scan(String id, String participant) {
        return new Scan(id, EventLoader.DEMO_EVENT, participant, "north", OffsetDateTime.now(ZoneOffset.UTC),
                ScanMethod.QR_SCAN, Direction.ENTRY, null, null);
    }

    private static boolean decided(String scanId, List<Decision> decisions) {
        return decisions.stream().anyMatch(d -> d.scanId().equals(scanId));
    }

    private static Decision decision(String scanId, List<Decision> decisions) {
        return decisions.stream().filter(d -> d.scanId().equals(scanId)).findFirst().orElseThrow();
    }

    private int organiser(LocalStack stack, String method, String path, String json) throws Exception {
        String token = LocalTokens.inDataFolder(data, Clock.systemUTC()).mint("organiser", List.of("organizer"),
                List.of(EventLoader.DEMO_EVENT), Duration.ofMinutes(5));
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(stack.apiGateway().endpoint() + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(json))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    private static HttpResponse<byte[]> get(URI url, String origin) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(url);
            if (origin != null) request.header("Origin", origin);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** Waits for a condition the stack makes true (a message, a write), up to {@link #WAIT}. */
    private static void until(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("not within " + WAIT + ": " + what);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
