package com.headcount.local.stack;

import com.headcount.core.scan.GateMessage;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * The topic rule, inside the broker: each scan message is put on the {@code scans} stream (the body unchanged inside
 * the rule's envelope with the topic's event and gate, {@link GateMessage}; partition key the gate id) before the
 * broker acknowledges it to the gate. A subscriber could not promise that: a broker
 * acknowledges QoS 1 messages that no session is subscribed to yet, and a gate then forgets the scan.
 *
 * <p>Puts go out in small PutRecords batches, whatever has arrived while the previous put ran. No waiting for more:
 * HiveMQ hands one client's publishes to this interceptor one after another, so any wait is paid by every scan of a
 * gate (a 10 ms linger held each gate to about 50 scans/s); batches form across gates. A record the stream refuses is
 * refused to the gate too (PUBACK with an error), so the gate keeps it and sends it again.
 */
final class TopicRuleBridge implements PublishInboundInterceptor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicRuleBridge.class.getName());
    private static final int MAX_BATCH = 100;
    private static final Duration PUT_DEADLINE = Duration.ofSeconds(10);

    private record Pending(String partitionKey, byte[] body, PublishInboundOutput output,
                           Async<PublishInboundOutput> async) {}

    private final TopicRule rule;
    private final KinesisClient kinesis;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Thread putter;
    private volatile boolean running = true;

    TopicRuleBridge(TopicRule rule, KinesisClient kinesis) {
        this.rule = rule;
        this.kinesis = kinesis;
        this.putter = Thread.ofPlatform().name("topic-rule-" + rule.streamName()).daemon().start(this::run);
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        var packet = input.getPublishPacket();
        Optional<TopicRule.Match> topic = rule.match(packet.getTopic());
        if (topic.isEmpty()) return;
        byte[] body = packet.getPayload().map(TopicRuleBridge::bytes).orElse(new byte[0]);
        byte[] record = GateMessage.toRecord(topic.get().eventId(), topic.get().gateId(), body);
        var async = output.async(PUT_DEADLINE, TimeoutFallback.FAILURE, AckReasonCode.UNSPECIFIED_ERROR,
                "not put on " + rule.streamName() + " in time");
        if (rule.basicIngest()) output.preventPublishDelivery(AckReasonCode.SUCCESS);
        if (!running) {
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "the local stack is stopping");
            async.resume();
            return;
        }
        pending.add(new Pending(topic.get().gateId(), record, output, async));
    }

    long forwarded() {
        return forwarded.get();
    }

    long refused() {
        return refused.get();
    }

    /** Scans taken from gates and not yet put on the stream. */
    int waiting() {
        return pending.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                put(batch);
            } catch (InterruptedException e) {
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void put(List<Pending> batch) {
        List<PutRecordsRequestEntry> entries = batch.stream()
                .map(p -> PutRecordsRequestEntry.builder().partitionKey(p.partitionKey())
                        .data(SdkBytes.fromByteArrayUnsafe(p.body())).build())
                .toList();
        PutRecordsResponse response;
        try {
            response = kinesis.putRecords(r -> r.streamName(rule.streamName()).records(entries));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "putting " + batch.size() + " scans on " + rule.streamName()
                    + " failed; the gates will send them again: " + e);
            batch.forEach(p -> refuse(p, "stream unavailable"));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            var result = response.records().get(i);
            if (result.errorCode() == null) {
                forwarded.incrementAndGet();
                batch.get(i).async().resume();
            } else {
                refuse(batch.get(i), result.errorCode());
            }
        }
    }

    private void refuse(Pending p, String why) {
        refused.incrementAndGet();
        p.output().preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, why);
        p.async().resume();
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Stops taking scans; those already taken are put first. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        putter.join(PUT_DEADLINE);
    }
}
