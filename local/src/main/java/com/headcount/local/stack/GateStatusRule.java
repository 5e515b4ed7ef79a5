package com.headcount.local.stack;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.dynamodb.GateHeartbeatItems;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The second topic rule, inside the broker: each message on {@code headcount/<stage>/+/gates/+/status} (heartbeats,
 * and the last will the broker publishes for a gate it lost) becomes the gate's heartbeat item in the statistics table,
 * as {@link GateHeartbeatItems#ruleSql} does in AWS; another stage's gates are not heard. Unlike scans, nothing waits for the write: a heartbeat is not
 * worth holding the gate up, and the next one replaces it. The message still reaches subscribers.
 */
final class GateStatusRule implements PublishInboundInterceptor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GateStatusRule.class.getName());
    private final Pattern status;
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "topic-rule-status");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong stored = new AtomicLong();

    GateStatusRule(String stage, DynamoDbClient dynamo, String table, Clock clock) {
        this.status = TopicRule.gateTopic(stage, "status");
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        var packet = input.getPublishPacket();
        Matcher m = status.matcher(packet.getTopic());
        if (!m.matches()) return;
        var receivedAt = clock.instant();
        byte[] body = packet.getPayload().map(TopicRuleBridge::bytes).orElse(new byte[0]);
        var item = GateHeartbeatItems.fromRule(m.group(1), m.group(2), json(body), receivedAt);
        writer.execute(() -> {
            try {
                dynamo.putItem(b -> b.tableName(table).item(item));
                stored.incrementAndGet();
            } catch (RuntimeException e) {
                // in AWS the rule's error action would keep it; a lost heartbeat is replaced by the next one
                LOG.log(System.Logger.Level.WARNING, "heartbeat of gate " + m.group(2) + " not stored: " + e);
            }
        });
    }

    /** Heartbeats stored so far. */
    long stored() {
        return stored.get();
    }

    /** As IoT SQL reads a payload: a JSON object's fields, or nothing when it is not one. */
    private static Map<String, Object> json(byte[] body) {
        try {
            Object value = JSON.std.anyFrom(body);
            if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) map;
                return fields;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the gate is alive all the same
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
