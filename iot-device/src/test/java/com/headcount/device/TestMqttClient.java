package com.headcount.device;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;

/**
 * Plays the backend in tests: records what arrives on a topic filter and can publish decisions.
 * Like the IoT topic rule, it does not miss messages while it is away: its session persists on the broker, so what
 * is published while it reconnects is queued for it (a clean session would let the broker drop those scans with
 * "no matching subscribers", which the gate rightly takes as delivered).
 */
final class TestMqttClient implements AutoCloseable {

    /** Payloads in arrival order, as text. */
    final List<String> received = new CopyOnWriteArrayList<>();
    /** Completed subscriptions, one per (re)connection: a test waits for it before expecting messages. */
    final AtomicInteger subscriptions = new AtomicInteger();
    private final Mqtt5Client client;

    TestMqttClient(int port, String topicFilter) {
        Mqtt5ClientOptions.LifecycleEvents lifecycle = new Mqtt5ClientOptions.LifecycleEvents() {
            @Override
            public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) {
            }

            @Override
            public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
                c.subscribe(new SubscribePacket.SubscribePacketBuilder(topicFilter, QOS.AT_LEAST_ONCE).build())
                        .thenRun(subscriptions::incrementAndGet);
            }

            @Override
            public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {
            }

            @Override
            public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) {
            }

            @Override
            public void onStopped(Mqtt5Client c, OnStoppedReturn r) {
            }
        };
        client = new Mqtt5Client(new Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder("127.0.0.1", (long) port)
                .withConnectOptions(new ConnectPacket.ConnectPacketBuilder()
                        .withClientId("test-" + UUID.randomUUID()).withKeepAliveIntervalSeconds(30L)
                        .withSessionExpiryIntervalSeconds(300L).build())
                .withSessionBehavior(Mqtt5ClientOptions.ClientSessionBehavior.REJOIN_POST_SUCCESS)
                .withMinReconnectDelayMs(100L)
                .withMaxReconnectDelayMs(500L)
                .withLifecycleEvents(lifecycle)
                .withPublishEvents((c, message) -> received.add(
                        new String(message.getPublishPacket().getPayload(), StandardCharsets.UTF_8)))
                .build());
        client.start();
    }

    void publish(String topic, String payload) throws Exception {
        client.publish(new PublishPacket.PublishPacketBuilder(topic, QOS.AT_LEAST_ONCE,
                payload.getBytes(StandardCharsets.UTF_8)).build()).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.stop();
        client.close();
    }
}
