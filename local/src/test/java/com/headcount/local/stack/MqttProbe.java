package com.headcount.local.stack;

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
 * A bare MQTT 5 client for tests: publishes any bytes at QoS 1 (no gate client's checks in the way) and records
 * every message arriving on a topic filter, with its topic.
 */
public final class MqttProbe implements AutoCloseable {

    public record Message(String topic, byte[] payload) {}

    public final List<Message> received = new CopyOnWriteArrayList<>();
    public final AtomicInteger subscriptions = new AtomicInteger();
    private final Mqtt5Client client;

    public MqttProbe(int port, String topicFilter) {
        var lifecycle = new Mqtt5ClientOptions.LifecycleEvents() {
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
                        .withClientId("probe-" + UUID.randomUUID()).withKeepAliveIntervalSeconds(30L).build())
                .withLifecycleEvents(lifecycle)
                .withPublishEvents((c, message) -> received.add(new Message(message.getPublishPacket().getTopic(),
                        message.getPublishPacket().getPayload())))
                .build());
        client.start();
    }

    /** Publishes and waits for the broker's acknowledgement (after the rule put it on the stream). */
    public void publish(String topic, byte[] payload) throws Exception {
        client.publish(new PublishPacket.PublishPacketBuilder(topic, QOS.AT_LEAST_ONCE, payload).build())
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.stop();
        client.close();
    }
}
