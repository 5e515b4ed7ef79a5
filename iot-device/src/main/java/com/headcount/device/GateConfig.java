package com.headcount.device;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a gate needs to run. Built from environment variables (or {@code NAME=value} arguments, same names)
 * by {@link #fromEnvironment}; nothing secret is held here, only paths to the certificate and key.
 *
 * @param maxQueuedScans    how many unsent scans the gate keeps on disk before refusing new ones
 * @param minReconnectDelay first wait before reconnecting; doubles up to {@code maxReconnectDelay}
 * @param ackTimeout        how long to wait for a PUBACK before publishing the same scan again
 * @param maxInFlight       how many scans may wait for their PUBACK at once; the broker's Receive Maximum lowers it
 */
public record GateConfig(BrokerConnection connection, GateTopics topics, Path queueFolder, int maxQueuedScans,
                         Duration minReconnectDelay, Duration maxReconnectDelay, Duration ackTimeout, int maxInFlight) {

    public static final String MODE = "HEADCOUNT_GATE_MODE";
    /** The deployment the gate belongs to; required for AWS IoT Core, the local stack's stage otherwise. */
    public static final String STAGE = "HEADCOUNT_STAGE";
    public static final String EVENT_ID = "HEADCOUNT_EVENT_ID";
    public static final String GATE_ID = "HEADCOUNT_GATE_ID";
    public static final String IOT_ENDPOINT = "HEADCOUNT_IOT_ENDPOINT";
    public static final String IOT_CERT = "HEADCOUNT_IOT_CERT";
    public static final String IOT_KEY = "HEADCOUNT_IOT_KEY";
    public static final String IOT_CA = "HEADCOUNT_IOT_CA";
    public static final String THING_NAME = "HEADCOUNT_THING_NAME";
    public static final String MQTT_HOST = "HEADCOUNT_MQTT_HOST";
    public static final String MQTT_PORT = "HEADCOUNT_MQTT_PORT";
    public static final String SCAN_TOPIC_PREFIX = "HEADCOUNT_SCAN_TOPIC_PREFIX";
    public static final String QUEUE_DIR = "HEADCOUNT_QUEUE_DIR";
    public static final String QUEUE_MAX_SCANS = "HEADCOUNT_QUEUE_MAX_SCANS";
    public static final String MAX_IN_FLIGHT = "HEADCOUNT_MAX_IN_FLIGHT";
    /** AWS IoT Core allows 100 unacknowledged QoS 1 publishes per connection; a gate needs far fewer to keep up. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;

    public GateConfig {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(queueFolder, "queueFolder");
        Objects.requireNonNull(minReconnectDelay, "minReconnectDelay");
        Objects.requireNonNull(maxReconnectDelay, "maxReconnectDelay");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (maxQueuedScans < 1) {
            throw new IllegalArgumentException("maxQueuedScans must be at least 1");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
    }

    /** Defaults suited to a gate at a venue: a day offline fits, reconnects back off to 30 s. */
    public static GateConfig of(BrokerConnection connection, GateTopics topics, Path queueFolder) {
        return new GateConfig(connection, topics, queueFolder, 100_000,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), DEFAULT_MAX_IN_FLIGHT);
    }

    /** The gate's allow-list and its own window of accepted scans, next to its queue. */
    public Path edgeFolder() {
        return queueFolder.resolveSibling(queueFolder.getFileName() + "-edge");
    }

    public GateConfig withReconnectDelays(Duration min, Duration max) {
        return new GateConfig(connection, topics, queueFolder, maxQueuedScans, min, max, ackTimeout, maxInFlight);
    }

    public GateConfig withMaxInFlight(int scans) {
        return new GateConfig(connection, topics, queueFolder, maxQueuedScans, minReconnectDelay, maxReconnectDelay,
                ackTimeout, scans);
    }

    public static GateConfig fromEnvironment(Map<String, String> env) {
        String eventId = required(env, EVENT_ID);
        String gateId = required(env, GATE_ID);
        String mode = env.getOrDefault(MODE, "local");
        BrokerConnection connection = switch (mode) {
            case "aws-iot" -> new BrokerConnection.AwsIotCore(required(env, IOT_ENDPOINT),
                    Path.of(required(env, IOT_CERT)), Path.of(required(env, IOT_KEY)),
                    env.containsKey(IOT_CA) ? Path.of(env.get(IOT_CA)) : null,
                    env.getOrDefault(THING_NAME, gateId));
            case "local" -> new BrokerConnection.LocalBroker(env.getOrDefault(MQTT_HOST, "localhost"),
                    Integer.parseInt(env.getOrDefault(MQTT_PORT, "1883")), env.getOrDefault(THING_NAME, gateId));
            default -> throw new IllegalArgumentException(MODE + " must be aws-iot or local, not " + mode);
        };
        // a gate of AWS must say its stage: guessing one would publish where its policy forbids, or to another stage
        String stage = mode.equals("aws-iot") ? required(env, STAGE) : env.getOrDefault(STAGE, GateTopics.LOCAL_STAGE);
        GateTopics topics = new GateTopics(stage, eventId, gateId, env.getOrDefault(SCAN_TOPIC_PREFIX, ""));
        Path queue = env.containsKey(QUEUE_DIR) ? Path.of(env.get(QUEUE_DIR))
                : Path.of(System.getProperty("user.home"), ".headcount", "gate-" + gateId, "queue");
        GateConfig config = of(connection, topics, queue);
        if (env.containsKey(QUEUE_MAX_SCANS)) {
            config = new GateConfig(connection, topics, queue, Integer.parseInt(env.get(QUEUE_MAX_SCANS)),
                    config.minReconnectDelay(), config.maxReconnectDelay(), config.ackTimeout(), config.maxInFlight());
        }
        if (env.containsKey(MAX_IN_FLIGHT)) {
            config = config.withMaxInFlight(Integer.parseInt(env.get(MAX_IN_FLIGHT)));
        }
        return config;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
