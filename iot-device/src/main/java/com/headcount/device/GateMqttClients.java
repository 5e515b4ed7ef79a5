package com.headcount.device;

import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions.ClientOfflineQueueBehavior;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;

/** Builds the CRT MQTT 5 client for either kind of {@link BrokerConnection}, with the same behaviour for both. */
final class GateMqttClients {

    private static final long KEEP_ALIVE_SECONDS = 30;
    private static final long AWS_IOT_MTLS_PORT = 8883;

    private GateMqttClients() {
    }

    static Mqtt5Client create(GateConfig config, Mqtt5ClientOptions.LifecycleEvents lifecycle,
                              Mqtt5ClientOptions.PublishEvents publishes) {
        ConnectPacket.ConnectPacketBuilder connect = new ConnectPacket.ConnectPacketBuilder()
                .withClientId(config.connection().clientId())
                .withKeepAliveIntervalSeconds(KEEP_ALIVE_SECONDS)
                // the broker says the gate is gone when it loses it without a goodbye
                .withWill(new PublishPacket.PublishPacketBuilder(config.topics().status(), QOS.AT_LEAST_ONCE,
                        GateHeartbeat.lastWill(config.topics())).build());
        // Failing in-flight publishes on disconnect hands them back to the ScanSender, which owns ordering and
        // resends from disk; the CRT's own offline queue would hold them only in memory.
        ClientOfflineQueueBehavior offline = ClientOfflineQueueBehavior.FAIL_ALL_ON_DISCONNECT;
        long ackTimeoutSeconds = Math.max(1, config.ackTimeout().toSeconds());
        return switch (config.connection()) {
            case BrokerConnection.AwsIotCore aws -> {
                try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                        aws.endpoint(), aws.certificatePath().toString(), aws.privateKeyPath().toString())) {
                    if (aws.certificateAuthorityPath() != null) {
                        builder.withCertificateAuthorityFromPath(null, aws.certificateAuthorityPath().toString());
                    }
                    yield builder.withPort(AWS_IOT_MTLS_PORT)
                            .withConnectProperties(connect)
                            .withLifeCycleEvents(lifecycle)
                            .withPublishEvents(publishes)
                            .withOfflineQueueBehavior(offline)
                            .withMinReconnectDelayMs(config.minReconnectDelay().toMillis())
                            .withMaxReconnectDelayMs(config.maxReconnectDelay().toMillis())
                            .withAckTimeoutSeconds(ackTimeoutSeconds)
                            .build();
                }
            }
            case BrokerConnection.LocalBroker local -> new Mqtt5Client(
                    new Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder(local.host(), (long) local.port())
                            .withConnectOptions(connect.build())
                            .withLifecycleEvents(lifecycle)
                            .withPublishEvents(publishes)
                            .withOfflineQueueBehavior(offline)
                            .withMinReconnectDelayMs(config.minReconnectDelay().toMillis())
                            .withMaxReconnectDelayMs(config.maxReconnectDelay().toMillis())
                            .withAckTimeoutSeconds(ackTimeoutSeconds)
                            .build());
        };
    }
}
