package com.headcount.device;

import java.io.IOException;
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
    private volatile boolean ready;
    private volatile int receiveMaximum = Integer.MAX_VALUE;

    /** Opens the gate's queue (resuming whatever an earlier run left unsent); does not connect yet. */
    public GateClient(GateConfig config, DecisionListener listener) throws IOException {
        this.config = config;
        this.listener = listener;
        this.queue = ScanQueue.open(config.queueFolder(), config.maxQueuedScans());
        this.sender = new ScanSender(queue, new MqttPublisher(), config.ackTimeout(), config.minReconnectDelay());
        this.mqtt = GateMqttClients.create(config, new Lifecycle(), this::onMessage);
        this.heartbeat = new GateHeartbeat(config.topics(), queue, java.time.Clock.systemUTC(), new HeartbeatSender());
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
        if (!scan.eventId().equals(config.topics().eventId()) || !scan.gateId().equals(config.topics().gateId())) {
            throw new IllegalArgumentException("scan is for event " + scan.eventId() + " gate " + scan.gateId()
                    + ", this gate reports for event " + config.topics().eventId() + " gate " + config.topics().gateId());
        }
        if (ready) {
            // timed from here: the moment the gate made it (a scan made offline is backlog, counted apart)
            timer.made(scan.scanId(), System.nanoTime());
        }
        queue.append(scan.toJson());
        sender.wakeUp();
        return scan;
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
        try {
            heartbeat.goodbye().get(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the broker or the network is gone: the last will says it instead
        }
        ready = false;
        sender.close();
        mqtt.stop();
        mqtt.close();
    }

    private void onMessage(Mqtt5Client client, PublishReturn message) {
        PublishPacket packet = message.getPublishPacket();
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
            client.subscribe(new SubscribePacket.SubscribePacketBuilder(config.topics().decisions(), QOS.AT_LEAST_ONCE).build())
                    .whenComplete((subAck, failure) -> {
                        if (failure != null) {
                            LOG.log(System.Logger.Level.WARNING, "decisions not subscribed, sending scans anyway: " + failure);
                        }
                        ready = client.getIsConnected();
                        sender.wakeUp();
                        heartbeat.now();
                    });
        }

        @Override
        public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn event) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection attempt failed: " + CRT.awsErrorName(event.getErrorCode()));
        }

        @Override
        public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn event) {
            ready = false;
            LOG.log(System.Logger.Level.INFO, "gate disconnected (" + CRT.awsErrorName(event.getErrorCode())
                    + "); scans queue on disk until it reconnects");
        }

        @Override
        public void onStopped(Mqtt5Client client, OnStoppedReturn event) {
            ready = false;
        }
    }
}
