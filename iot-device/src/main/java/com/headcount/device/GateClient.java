package com.headcount.device;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.EdgeRules;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.Verdict;
import com.headcount.device.edge.AllowListSync;
import com.headcount.device.edge.Correction;
import com.headcount.device.edge.EdgeDecider;
import com.headcount.device.edge.GateAnswer;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.PublishResult;
import software.amazon.awssdk.crt.mqtt5.PublishReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;

/**
 * A gate: reports scans to the backend and shows the decisions that come back.
 *
 * <p>{@link #submit} only writes the scan to the gate's disk queue; a sender thread publishes queued scans in order
 * (QoS 1, several awaiting their PUBACK at once, {@link ScanSender}) whenever the broker is reachable. So a scan
 * made while offline, or before a restart of the gate, is sent
 * later with its original timestamp. Usage: {@code new GateClient(config, listener)}, {@link #start}, then
 * {@link #submit} per scan, {@link #close} at the end. Decisions for scan ids this gate did not send are ignored
 * and counted ({@link #foreignDecisions()}). Its health goes out as heartbeats on its status topic
 * ({@link GateHeartbeat}).
 *
 * <p>The gate also decides each scan itself, at once, from its event's allow-list and its own window on disk
 * ({@link EdgeDecider}, the cloud's rules from the core), online or offline: {@link #answer} returns that provisional
 * answer, which travels with the scan as {@code provisional}. The cloud still decides every scan and its decision is
 * final: where it differs, the gate shows a {@link Correction} ({@link DecisionListener#onCorrection}) and logs it.
 */
public final class GateClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GateClient.class.getName());
    private static final int MAX_TIMED_SCANS = 10_000;
    private static final int MAX_REMEMBERED_SCAN_IDS = 100_000;

    private final GateConfig config;
    private final DecisionListener listener;
    private final ScanQueue queue;
    private final LatencyStats scanToDecision = new LatencyStats();
    private final LatencyStats queueWait = new LatencyStats();
    private final ScanToDecisionTimer timer = new ScanToDecisionTimer(scanToDecision, queueWait, MAX_TIMED_SCANS,
            MAX_REMEMBERED_SCAN_IDS);
    private final AtomicLong foreignDecisions = new AtomicLong();
    private final ScanSender sender;
    private final Mqtt5Client mqtt;
    private final GateHeartbeat heartbeat;
    private final EdgeDecider edge;
    private final AllowListSync allowListSync;
    /** Scans decided on the gate and not yet by the cloud: what a correction is measured against. */
    private final Map<String, Pending> provisional = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            return size() > MAX_REMEMBERED_SCAN_IDS;
        }
    };
    private final AtomicLong corrections = new AtomicLong();
    private volatile boolean ready;
    private volatile int receiveMaximum = Integer.MAX_VALUE;

    /** Opens the gate's queue (resuming whatever an earlier run left unsent); does not connect yet. */
    public GateClient(GateConfig config, DecisionListener listener) throws IOException {
        this(config, listener, Clock.systemUTC(), AllowListSync.httpFetcher());
    }

    /**
     * @param clock   the gate's clock, for the allow-list's age and the rules' "received at"
     * @param fetcher how the allow-list's body is fetched from the URL the cloud answers with
     */
    public GateClient(GateConfig config, DecisionListener listener, Clock clock, AllowListSync.Fetcher fetcher)
            throws IOException {
        this.config = config;
        this.listener = listener;
        this.queue = ScanQueue.open(config.queueFolder(), config.maxQueuedScans());
        this.edge = EdgeDecider.open(config.edgeFolder(), config.topics().eventId(), clock);
        this.sender = new ScanSender(queue, new MqttPublisher(), config.ackTimeout(), config.minReconnectDelay());
        this.mqtt = GateMqttClients.create(config, new Lifecycle(), this::onMessage);
        this.allowListSync = new AllowListSync(config.topics().eventId(), edge.store(), body ->
                mqtt.publish(new PublishPacket.PublishPacketBuilder(config.topics().allowListRequest(), QOS.AT_LEAST_ONCE,
                        body).build()), fetcher);
        this.heartbeat = new GateHeartbeat(config.topics(), queue, clock, new HeartbeatSender(), this::allowListStatus);
    }

    /** Connects (retrying in the background until it succeeds) and starts sending queued scans. */
    public void start() {
        mqtt.start();
        sender.start();
        heartbeat.start();
    }

    /**
     * Queues the scan durably; it is published when the broker is reachable.
     *
     * @throws ScanQueueFullException when the gate has been offline so long that its queue is full
     */
    public Scan submit(Scan scan) throws IOException {
        answer(scan);
        return scan;
    }

    /**
     * Decides the scan on the gate, queues it durably with that decision, tells the listener
     * ({@link DecisionListener#onProvisional}) and returns the answer to show. Without an allow-list, or with one past
     * the event's maximum age when the event says refuse, the answer has no decision and the scan goes without one.
     *
     * @throws ScanQueueFullException when the gate has been offline so long that its queue is full
     */
    public GateAnswer answer(Scan scan) throws IOException {
        if (!scan.eventId().equals(config.topics().eventId()) || !scan.gateId().equals(config.topics().gateId())) {
            throw new IllegalArgumentException("scan is for event " + scan.eventId() + " gate " + scan.gateId()
                    + ", this gate reports for event " + config.topics().eventId() + " gate " + config.topics().gateId());
        }
        if (ready) {
            // timed from here: the moment the gate made it (a scan made offline is backlog, counted apart)
            timer.made(scan.scanId(), System.nanoTime());
        }
        byte[] plain = scan.toJson();
        Optional<com.headcount.core.scan.Scan> decidable = edge.parse(plain);
        GateAnswer answer = decidable.isPresent() ? edge.decide(decidable.get())
                : new GateAnswer(scan.scanId(), scan.participantId(), GateAnswer.State.NO_ALLOW_LIST, Optional.empty(),
                        edge.store().age());
        try {
            queue.append(answer.provisional().map(p -> scan.toJson(p.toMap())).orElse(plain));
        } catch (IOException | RuntimeException e) {
            // not queued, so never decided by the cloud: it must not hold the gate's window either
            if (answer.provisional().map(p -> p.verdict() == Verdict.ACCEPTED).orElse(false)) {
                edge.window().release(scan.scanId());
            }
            throw e;
        }
        answer.provisional().ifPresent(p -> remember(scan.scanId(), new Pending(decidable.get(), p)));
        sender.wakeUp();
        try {
            listener.onProvisional(answer);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "provisional answer not shown: " + e);
        }
        return answer;
    }

    /** The gate's allow-list: its version and age (how long it may have missed changes), for the screen and heartbeat. */
    public Map<String, Object> allowListStatus() {
        Map<String, Object> m = new LinkedHashMap<>();
        edge.store().list().ifPresent(list -> m.put("allowListVersion", list.version()));
        edge.store().age().ifPresent(age -> m.put("allowListAgeSeconds", age.toSeconds()));
        return m;
    }

    public EdgeDecider edge() {
        return edge;
    }

    public AllowListSync allowListSync() {
        return allowListSync;
    }

    /** Cloud decisions that differed from the gate's provisional answer, since the start. */
    public long corrections() {
        return corrections.get();
    }

    private record Pending(com.headcount.core.scan.Scan scan, EdgeRules.Provisional provisional) {}

    private void remember(String scanId, Pending pending) {
        synchronized (provisional) {
            provisional.putIfAbsent(scanId, pending);
        }
    }

    private Pending forget(String scanId) {
        synchronized (provisional) {
            return provisional.remove(scanId);
        }
    }

    /** A scan queued by an earlier run carries its provisional decision in its JSON: read back to compare later. */
    private void rememberFromQueue(String scanId, byte[] scanJson) {
        synchronized (provisional) {
            if (provisional.containsKey(scanId)) return;
        }
        try {
            Map<String, Object> fields = JSON.std.mapFrom(scanJson);
            if (!(fields.get("provisional") instanceof Map<?, ?> p)) return;
            Verdict verdict = Verdict.fromWire(String.valueOf(p.get("verdict")));
            RejectReason reason = p.get("reason") == null ? null : RejectReason.fromCode(String.valueOf(p.get("reason")));
            long version = ((Number) p.get("allowListVersion")).longValue();
            edge.parse(scanJson).ifPresent(scan -> remember(scanId, new Pending(scan,
                    new EdgeRules.Provisional(verdict, reason, null, version))));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "no provisional decision read from queued scan " + scanId + ": " + e);
        }
    }

    /** Scans stored on disk and not yet acknowledged by the broker. */
    public int queuedScans() {
        return queue.size();
    }

    /** Connected, subscribed to decisions, and so sending. */
    public boolean isConnected() {
        return ready;
    }

    /** From the moment of each live scan to its decision's arrival, the gate's queue included. */
    public LatencyStats scanToDecision() {
        return scanToDecision;
    }

    /** The part of {@link #scanToDecision()} the scans spent in this gate's queue before their publish. */
    public LatencyStats queueWait() {
        return queueWait;
    }

    /** Decisions that arrived for scan ids this gate did not send in this run: ignored, and counted here. */
    public long foreignDecisions() {
        return foreignDecisions.get();
    }

    public GateConfig config() {
        return config;
    }

    /** Stops sending and disconnects; unsent scans stay on disk for the next run. */
    @Override
    public void close() throws InterruptedException {
        heartbeat.close();
        allowListSync.close();
        try {
            heartbeat.goodbye().get(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the broker or the network is gone: the last will says it instead
        }
        ready = false;
        sender.close();
        mqtt.stop();
        mqtt.close();
        try {
            edge.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "gate window not closed cleanly: " + e);
        }
    }

    private void onMessage(Mqtt5Client client, PublishReturn message) {
        PublishPacket packet = message.getPublishPacket();
        if (config.topics().allowList().equals(packet.getTopic())) {
            allowListSync.onAnswer(packet.getPayload());
            return;
        }
        if (config.topics().allowListDeltas().equals(packet.getTopic())) {
            allowListSync.onDelta(packet.getPayload());
            return;
        }
        if (!config.topics().decisions().equals(packet.getTopic())) {
            return;
        }
        long arrived = System.nanoTime();
        try {
            Decision decision = Decision.fromJson(packet.getPayload());
            if (!timer.sent(decision.scanId())) {
                // not ours to show: a light must never turn green for a scan this gate did not make
                long count = foreignDecisions.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "decision for scan " + decision.scanId() + " ignored: this gate "
                        + "did not send it (" + count + " ignored so far)");
                return;
            }
            listener.onDecision(decision, timer.decided(decision.scanId(), arrived));
            Pending pending = forget(decision.scanId());
            if (pending != null) {
                Optional<Correction> correction = edge.reconcile(pending.scan(), pending.provisional(),
                        decision.outcome(), decision.reason());
                if (correction.isPresent()) {
                    corrections.incrementAndGet();
                    // never silent: the log keeps it even where nobody watches the screen
                    LOG.log(System.Logger.Level.WARNING, correction.get().describe());
                    listener.onCorrection(correction.get());
                }
            }
        } catch (IOException | RuntimeException e) {
            // A bad message or a failing listener must not take down the CRT's callback thread.
            LOG.log(System.Logger.Level.WARNING, "decision not shown: " + e);
        }
    }

    private final class MqttPublisher implements ScanSender.Publisher {
        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public int inFlightLimit() {
            return Math.min(config.maxInFlight(), receiveMaximum);
        }

        @Override
        public CompletableFuture<?> publish(ScanQueue.QueuedScan scan) {
            String scanId = Scan.scanIdOf(scan.scanJson());
            if (scanId != null) {
                timer.published(scanId, System.nanoTime());
                rememberFromQueue(scanId, scan.scanJson());
            }
            PublishPacket packet = new PublishPacket.PublishPacketBuilder(config.topics().scans(), QOS.AT_LEAST_ONCE,
                    scan.scanJson()).withPayloadFormat(PublishPacket.PayloadFormatIndicator.UTF8).build();
            return mqtt.publish(packet).thenApply(GateClient::requireAccepted);
        }
    }

    private final class HeartbeatSender implements GateHeartbeat.Sender {
        @Override
        public boolean connected() {
            return ready;
        }

        @Override
        public CompletableFuture<?> publish(byte[] heartbeat) {
            return mqtt.publish(new PublishPacket.PublishPacketBuilder(config.topics().status(), QOS.AT_MOST_ONCE, heartbeat)
                    .withPayloadFormat(PublishPacket.PayloadFormatIndicator.UTF8).build());
        }
    }

    private static PublishResult requireAccepted(PublishResult result) {
        PubAckPacket ack = result.getResultPubAck();
        if (ack == null) {
            throw new IllegalStateException("no PUBACK in " + result.getType());
        }
        // "No matching subscribers" still means the broker took the scan (Basic Ingest and an idle local broker say so).
        if (ack.getReasonCode() != PubAckPacket.PubAckReasonCode.SUCCESS
                && ack.getReasonCode() != PubAckPacket.PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
            throw new IllegalStateException("broker refused the scan: " + ack.getReasonCode() + " " + ack.getReasonString());
        }
        return result;
    }

    private final class Lifecycle implements Mqtt5ClientOptions.LifecycleEvents {
        @Override
        public void onAttemptingConnect(Mqtt5Client client, OnAttemptingConnectReturn event) {
        }

        @Override
        public void onConnectionSuccess(Mqtt5Client client, OnConnectionSuccessReturn event) {
            LOG.log(System.Logger.Level.INFO, "gate " + config.connection().clientId() + " connected");
            // the broker takes at most this many unacknowledged QoS 1 publishes from us (MQTT 5 Receive Maximum)
            receiveMaximum = event.getNegotiatedSettings() == null ? 1
                    : Math.max(1, event.getNegotiatedSettings().getReceiveMaximumFromServer());
            // Clean sessions: the subscription is made again on every connection. Scans wait for it so no decision is missed.
            client.subscribe(new SubscribePacket.SubscribePacketBuilder(config.topics().decisions(), QOS.AT_LEAST_ONCE)
                            .withSubscription(config.topics().allowList(), QOS.AT_LEAST_ONCE)
                            .withSubscription(config.topics().allowListDeltas(), QOS.AT_LEAST_ONCE).build())
                    .whenComplete((subAck, failure) -> {
                        if (failure != null) {
                            LOG.log(System.Logger.Level.WARNING, "decisions not subscribed, sending scans anyway: " + failure);
                        }
                        ready = client.getIsConnected();
                        sender.wakeUp();
                        heartbeat.now();
                        allowListSync.connected();
                    });
        }

        @Override
        public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn event) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection attempt failed: " + CRT.awsErrorName(event.getErrorCode()));
        }

        @Override
        public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn event) {
            ready = false;
            allowListSync.disconnected();
            LOG.log(System.Logger.Level.INFO, "gate disconnected (" + CRT.awsErrorName(event.getErrorCode())
                    + "); scans queue on disk until it reconnects");
        }

        @Override
        public void onStopped(Mqtt5Client client, OnStoppedReturn event) {
            ready = false;
        }
    }
}
