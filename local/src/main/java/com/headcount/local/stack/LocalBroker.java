package com.headcount.local.stack;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The stand-in for AWS IoT Core: HiveMQ CE in this JVM (plain MQTT 5 on a loopback port, sessions in memory) with
 * the topic rule running inside it as an extension, and a way to publish to devices as the IoT data
 * plane does.
 */
public final class LocalBroker implements AutoCloseable {

    private final int port;
    private final Path folder;
    private final Path config;
    private volatile EmbeddedHiveMQ hivemq;
    private final TopicRuleBridge bridge;
    private final GateStatusRule statusRule;
    private volatile PublishService publishService;
    /** Further topic rules, added once the functions they invoke exist; every client's publishes pass them. */
    private final java.util.List<com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor> rules =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private LocalBroker(int port, Path folder, TopicRule rule, KinesisClient kinesis, GateStatusRule statusRule)
            throws IOException {
        this.port = port;
        this.bridge = new TopicRuleBridge(rule, kinesis);
        this.statusRule = statusRule;
        this.folder = folder;
        this.config = Files.createDirectories(folder.resolve("conf"));
        Files.writeString(config.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <!-- Gates connect with clean sessions and the topic rule has put each scan on the stream before its
                       PUBACK: nothing the broker could keep is needed after a restart. On file, its stores took 533 MB
                       at start and grew past 1.5 GB in minutes. -->
                  <persistence><mode>in-memory</mode></persistence>
                  <!-- HiveMQ lets a client have 10 QoS 1 publishes unacknowledged; AWS IoT Core allows 100. With 10, a
                       gate whose PUBACKs take 200 ms (the topic rule waits for Kinesis) tops out at 50 scans/s. -->
                  <mqtt><receive-maximum><server-receive-maximum>100</server-receive-maximum></receive-maximum></mqtt>
                </hivemq>
                """.formatted(port));
        this.hivemq = newHiveMq();
    }

    private EmbeddedHiveMQ newHiveMq() throws IOException {
        EmbeddedExtension topicRule = EmbeddedExtension.builder()
                .withId("headcount-topic-rule")
                .withName("Headcount topic rule")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                        publishService = Services.publishService();
                        Services.initializerRegistry().setClientInitializer(
                                (initializerInput, client) -> {
                                    client.addPublishInboundInterceptor(bridge);
                                    if (statusRule != null) client.addPublishInboundInterceptor(statusRule);
                                    client.addPublishInboundInterceptor((input, output) -> {
                                        for (var rule : rules) rule.onInboundPublish(input, output);
                                    });
                                });
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
                    }
                })
                .build();
        return EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(Files.createDirectories(folder.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(folder.resolve("extensions")))
                .withEmbeddedExtension(topicRule)
                // HiveMQ's own logging set-up would log its whole start at INFO; logback.xml keeps it to errors
                .withoutLoggingBootstrap()
                .build();
    }

    /** Starts the broker on 127.0.0.1:{@code port}; {@code folder} holds its configuration and small files of its own. */
    public static LocalBroker start(int port, Path folder, TopicRule rule, KinesisClient kinesis) throws Exception {
        return start(port, folder, rule, kinesis, null, null);
    }

    /** With the gates' status rule too: heartbeats become items of {@code statisticsTable} ({@link GateStatusRule}). */
    public static LocalBroker start(int port, Path folder, TopicRule rule, KinesisClient kinesis, DynamoDbClient dynamo,
                                    String statisticsTable) throws Exception {
        GateStatusRule status = dynamo == null ? null : new GateStatusRule(rule.stage(), dynamo, statisticsTable, Clock.systemUTC());
        LocalBroker broker = new LocalBroker(port, folder, rule, kinesis, status);
        try {
            broker.hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** Adds a topic rule that sees every publish from now on (before the first gate connects, so all of them). */
    public void addRule(com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor rule) {
        rules.add(rule);
    }

    public int port() {
        return port;
    }

    /** What IoT's Publish API does: the message goes to the topic's subscribers. */
    public CompletableFuture<Void> publish(String topic, int qos, byte[] payload) {
        PublishService service = publishService;
        if (service == null) return CompletableFuture.failedFuture(new IllegalStateException("broker not started"));
        return service.publish(Builders.publish().topic(topic).qos(Qos.valueOf(qos))
                .payload(ByteBuffer.wrap(payload)).build());
    }

    /** Gate heartbeats stored so far (0 without the status rule). */
    public long heartbeatsStored() {
        return statusRule == null ? 0 : statusRule.stored();
    }

    /** From now on scans are refused (PUBACK with an error: the gate keeps them); those already taken are put first. */
    public void stopTakingScans() {
        try {
            bridge.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Scans put on the stream so far. */
    public long scansForwarded() {
        return bridge.forwarded();
    }

    /** Scans refused to their gates so far (the stream refused them, or the stack was stopping). */
    public long scansRefused() {
        return bridge.refused();
    }

    /** Scans taken from gates that wait for their put on the stream. */
    public int scansWaitingForPut() {
        return bridge.waiting();
    }

    /**
     * Stops HiveMQ and starts it again on the same port: every client is disconnected and its session (in memory) is
     * gone, decisions published meanwhile included; the topic rule comes back with the extension.
     */
    public void restart() throws Exception {
        EmbeddedHiveMQ old = hivemq;
        try {
            old.stop().get(30, TimeUnit.SECONDS);
        } finally {
            old.close();
        }
        // a new instance: a stopped one cannot start again (its metrics are still registered)
        EmbeddedHiveMQ fresh = newHiveMq();
        hivemq = fresh;
        fresh.start().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } finally {
            hivemq.close();
            bridge.close();
            if (statusRule != null) statusRule.close();
        }
    }
}
