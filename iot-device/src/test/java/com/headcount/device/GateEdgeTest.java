package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.allowlist.AllowListDelta;
import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.EdgeFixtures;
import com.headcount.device.edge.GateAnswer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate deciding on its own over a real MQTT 5 broker: it asks for its allow-list, fetches it from the URL the
 * answer names and checks it against the hash the answer carried, answers each scan at once, sends the scan with its
 * provisional decision, shows a correction where the cloud decides otherwise, takes deltas, and keeps deciding offline.
 */
class GateEdgeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String EVENT = "evt-edge-mqtt";

    @TempDir
    static Path brokerFolder;
    private static EmbeddedBroker broker;
    private static HttpServer http;
    /** What the loopback "bucket" serves, by path; a request without the path's token is refused as a bad signature. */
    private static final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @TempDir
    Path folder;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<GateAnswer> answers = new CopyOnWriteArrayList<>();
    private final List<Correction> corrections = new CopyOnWriteArrayList<>();
    private final List<Decision> decisions = new CopyOnWriteArrayList<>();
    /** The gate's clock, at the event (scans are decided against it: the machine's clock may be anywhere). */
    private final EdgeFixtures.MovableClock clock = new EdgeFixtures.MovableClock(EdgeFixtures.START.plusSeconds(3600));

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedBroker(brokerFolder);
        broker.start();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = objects.get(exchange.getRequestURI().getPath());
            boolean signed = "sig=ok".equals(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(body == null ? 404 : signed ? 200 : 403, body == null || !signed ? -1 : body.length);
            if (body != null && signed) exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() throws Exception {
        http.stop(0);
        broker.close();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    @Test
    void theGateLoadsItsListOverMqttAnswersAtOnceAndShowsWhereTheCloudDecidedOtherwise() throws Exception {
        GateTopics topics = GateTopics.local(EVENT, "north");
        TestMqttClient requests = open(new TestMqttClient(broker.port(), topics.allowListRequest()));
        TestMqttClient scans = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> requests.subscriptions.get() == 1 && scans.subscriptions.get() == 1, () -> "cloud subscribed");
        GateClient gate = open(gate(topics, folder.resolve("queue")));
        gate.start();

        Await.until(WAIT, () -> !requests.received.isEmpty(), () -> "the gate asks for its list on connecting");
        assertEquals(Map.of("eventId", EVENT), withoutNulls(JSON.std.mapFrom(requests.received.get(0))), "it holds none");
        AllowList v1 = EdgeFixtures.list(EVENT, "north", 1, 10, EdgePolicy.defaults());
        announce(requests, topics, v1, "sig=ok");
        Await.until(WAIT, () -> gate.edge().store().list().isPresent(), () -> "the list is fetched and verified");
        assertEquals(Map.of("allowListVersion", 1L, "allowListAgeSeconds", 0L), gate.allowListStatus());

        Scan in = scan(topics, "s-1", "P-1");
        GateAnswer answer = gate.answer(in);
        assertEquals(GateAnswer.State.DECIDED, answer.state());
        assertEquals("accepted", answer.provisional().orElseThrow().verdict().wireName());
        assertEquals(List.of(answer), answers, "the listener is told at once, before any cloud decision");
        GateAnswer refused = gate.answer(scan(topics, "s-2", "P-3"));
        assertEquals("participant_inactive", refused.provisional().orElseThrow().reason().code());

        Await.until(WAIT, () -> scans.received.size() == 2, () -> "both scans sent");
        var sent = JSON.std.mapFrom(scans.received.get(0));
        assertEquals(Map.of("verdict", "accepted", "allowListVersion", 1), sent.get("provisional"));
        assertEquals(Map.of("verdict", "rejected", "reason", "participant_inactive", "allowListVersion", 1),
                JSON.std.mapFrom(scans.received.get(1)).get("provisional"));

        // the cloud agrees on s-2 and not on s-1 (say a staff phone let P-1 in at this gate a minute before)
        requests.publish(topics.decisions(), """
                {"scanId":"s-2","outcome":"rejected","reason":"participant_inactive","decidedAt":"2026-11-26T10:00:01Z"}""");
        requests.publish(topics.decisions(), """
                {"scanId":"s-1","outcome":"duplicate","firstScanId":"phone-1","firstScannedAt":"2026-11-26T09:59:00Z","decidedAt":"2026-11-26T10:00:02Z"}""");
        // the gate shows a decision, then its correction: s-1's correction is the last signal of the two messages
        Await.until(WAIT, () -> decisions.size() == 2 && !corrections.isEmpty(), () -> "both decisions shown, s-1 corrected");
        assertEquals(1, corrections.size(), "one correction, for s-1 only: " + corrections);
        assertEquals("s-1", corrections.get(0).scanId());
        assertEquals(Correction.Kind.GATE_ACCEPTED_CLOUD_REFUSED, corrections.get(0).kind());
        assertEquals(1, gate.corrections());
        assertFalse(gate.edge().window().holds("s-1"), "the cloud did not accept it: it holds no window");

        // a delta: P-2 is deactivated; the next scan of P-2 is refused at once
        List<Participant> ps = new ArrayList<>();
        for (int i = 1; i <= 10; i++) ps.add(new Participant(EVENT, "P-" + i, i == 3 || i == 2 ? "cancelled" : "active"));
        AllowList v2 = AllowList.of(v1.event(), 2, v1.issuedAt().plusSeconds(60), v1.policy(),
                List.of(new Gate(EVENT, "north", null, true, 30)), ps);
        requests.publish(topics.allowListDeltas(), new String(AllowListDelta.between(v1, v2).toJson(), StandardCharsets.UTF_8));
        Await.until(WAIT, () -> gate.edge().store().list().orElseThrow().version() == 2, () -> "the delta is applied");
        assertEquals("participant_inactive", gate.answer(scan(topics, "s-3", "P-2")).provisional().orElseThrow().reason().code());

        // a body that is not what the announcement's hash names is refused; the gate keeps v2
        AllowList v3 = EdgeFixtures.list(EVENT, "north", 3, 11, EdgePolicy.defaults());
        objects.put("/" + EVENT + "/3", AllowListCodec.gzip(AllowListCodec.canonical(EdgeFixtures.list(EVENT, "north", 3, 12,
                EdgePolicy.defaults()))));
        long refusedBefore = gate.allowListSync().refused();
        requests.publish(topics.allowList(), answerFor(v3, "sig=ok"));
        Await.until(WAIT, () -> gate.allowListSync().refused() > refusedBefore, () -> "the tampered body is refused");
        assertEquals(2, gate.edge().store().list().orElseThrow().version());
    }

    @Test
    void offlineTheGateKeepsAnsweringAndSendsEveryScanWithItsProvisionalDecisionWhenBack() throws Exception {
        GateTopics topics = GateTopics.local(EVENT, "south");
        TestMqttClient requests = open(new TestMqttClient(broker.port(), topics.allowListRequest()));
        TestMqttClient scans = open(new TestMqttClient(broker.port(), topics.scans()));
        Await.until(WAIT, () -> requests.subscriptions.get() == 1 && scans.subscriptions.get() == 1, () -> "cloud subscribed");
        GateClient gate = open(gate(topics, folder.resolve("queue")));
        gate.start();
        Await.until(WAIT, () -> !requests.received.isEmpty(), () -> "the gate asks for its list");
        announce(requests, topics, EdgeFixtures.list(EVENT, "south", 7, 10, EdgePolicy.defaults()), "sig=ok");
        Await.until(WAIT, () -> gate.edge().store().list().isPresent(), () -> "the list is loaded");

        broker.stop();
        Await.until(WAIT, () -> !gate.isConnected(), () -> "the gate notices it is offline");
        Await.until(WAIT, () -> gate.edge().store().age().isPresent() && !gate.edge().store().inSync(), () -> "no longer in sync");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(600L, gate.allowListStatus().get("allowListAgeSeconds"), "what the heartbeat and the screen show");
        List<GateAnswer> offline = new ArrayList<>();
        for (int i = 1; i <= 4; i++) offline.add(gate.answer(scan(topics, "off-" + i, "P-" + (i <= 2 ? 1 : i))));
        assertEquals(List.of("accepted", "duplicate", "rejected", "accepted"),
                offline.stream().map(a -> a.provisional().orElseThrow().verdict().wireName()).toList());
        assertEquals(4, gate.queuedScans());

        broker.start();
        Await.until(WAIT, () -> scans.received.size() >= 4, () -> "the offline scans arrive, got " + scans.received);
        for (int i = 0; i < 4; i++) {
            Map<?, ?> provisional = (Map<?, ?>) JSON.std.mapFrom(scans.received.get(i)).get("provisional");
            assertEquals(offline.get(i).provisional().orElseThrow().verdict().wireName(), provisional.get("verdict"));
            assertEquals(7, provisional.get("allowListVersion"));
        }
        Await.until(WAIT, () -> requests.received.size() >= 2, () -> "on reconnecting the gate asks again");
        assertEquals(7, JSON.std.mapFrom(requests.received.get(requests.received.size() - 1)).get("haveVersion"));
    }

    @Test
    void theHeartbeatCarriesTheAllowListsVersionAndAge() throws Exception {
        GateTopics topics = GateTopics.local(EVENT, "west");
        ScanQueue queue = ScanQueue.open(folder.resolve("hb"), 10);
        GateHeartbeat heartbeat = new GateHeartbeat(topics, queue, clock, new GateHeartbeat.Sender() {
            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public java.util.concurrent.CompletableFuture<?> publish(byte[] body) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        }, () -> Map.of("allowListVersion", 3L, "allowListAgeSeconds", 42L));
        var body = JSON.std.mapFrom(heartbeat.body(true));
        assertEquals(3, body.get("allowListVersion"));
        assertEquals(42, body.get("allowListAgeSeconds"));
        var without = JSON.std.mapFrom(new GateHeartbeat(topics, queue, clock, null).body(true));
        assertFalse(without.containsKey("allowListVersion"), "a gate without a list says nothing of one");
        heartbeat.close();
    }

    private void announce(TestMqttClient cloud, GateTopics topics, AllowList list, String signature) throws Exception {
        objects.put("/" + list.eventId() + "/" + list.version(), AllowListCodec.gzip(AllowListCodec.canonical(list)));
        cloud.publish(topics.allowList(), answerFor(list, signature));
    }

    private static String answerFor(AllowList list, String signature) throws Exception {
        return JSON.std.asString(Map.of("eventId", list.eventId(), "version", list.version(),
                "sha256", AllowListCodec.sha256(list),
                "url", "http://127.0.0.1:" + http.getAddress().getPort() + "/" + list.eventId() + "/" + list.version()
                        + "?" + signature));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new java.util.HashMap<>(m);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    private GateClient gate(GateTopics topics, Path queue) throws Exception {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", broker.port(), topics.gateId()),
                topics, queue).withReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500));
        return new GateClient(config, new DecisionListener() {
            @Override
            public void onDecision(Decision decision, java.util.Optional<ScanTiming> timing) {
                decisions.add(decision);
            }

            @Override
            public void onProvisional(GateAnswer answer) {
                answers.add(answer);
            }

            @Override
            public void onCorrection(Correction correction) {
                corrections.add(correction);
            }
        }, clock, com.headcount.device.edge.AllowListSync.httpFetcher());
    }

    /** Scanned now by the gate's clock, within the fixtures' event. */
    private static Scan scan(GateTopics topics, String id, String participant) {
        return new Scan(id, EVENT, participant, topics.gateId(),
                OffsetDateTime.ofInstant(EdgeFixtures.START.plusSeconds(3600), ZoneOffset.UTC), ScanMethod.QR_SCAN,
                Direction.ENTRY, null, null);
    }

    private <T extends AutoCloseable> T open(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
