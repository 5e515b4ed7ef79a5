package com.headcount.local.stack;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowListTopics;
import com.headcount.handlers.AllowListFunction;
import com.headcount.local.lambda.LocalContext;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allow-list's topic rule, inside the broker: each message on the stage's
 * {@code headcount/{stage}/+/gates/+/allowlist/get} invokes {@link AllowListFunction} asynchronously with what
 * {@link AllowListTopics#ruleSql} selects in AWS (the event and
 * gate from the topic, {@code haveVersion} from the body), on a thread of its own as Lambda's asynchronous invocation
 * would: the gate's PUBACK does not wait for the answer, which comes on its {@code allowlist} topic.
 */
final class AllowListRule implements PublishInboundInterceptor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AllowListRule.class.getName());

    private final AllowListFunction function;
    private final Pattern request;
    private final ExecutorService invoker = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "topic-rule-allowlist");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong invoked = new AtomicLong();

    /** @param stage the stack's stage: the rule hears only its gates, as the stage's rule in AWS */
    AllowListRule(String stage, AllowListFunction function) {
        this.function = function;
        this.request = Pattern.compile(Pattern.quote("headcount/" + stage + "/") + "([^/+#]+)/gates/([^/+#]+)/allowlist/get");
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        var packet = input.getPublishPacket();
        Matcher m = request.matcher(packet.getTopic());
        if (!m.matches()) return;
        byte[] body = packet.getPayload().map(TopicRuleBridge::bytes).orElse(new byte[0]);
        Map<String, Object> event = new HashMap<>();
        event.put("eventId", m.group(1));
        event.put("gateId", m.group(2));
        try {
            // IoT SQL selects nothing from a body that is not a JSON object: haveVersion is then absent
            if (JSON.std.anyFrom(body) instanceof Map<?, ?> fields && fields.get("haveVersion") != null) {
                event.put("haveVersion", fields.get("haveVersion"));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the request stands without a version
        }
        invoker.execute(() -> {
            try {
                function.handleRequest(event, new LocalContext("AllowListFunction", java.time.Duration.ofSeconds(30)));
                invoked.incrementAndGet();
            } catch (RuntimeException e) {
                // Lambda would retry an asynchronous invocation twice; the gate asks again on its next connection
                LOG.log(System.Logger.Level.WARNING, "allow-list request of gate " + m.group(2) + " failed: " + e);
            }
        });
    }

    /** Requests handled so far. */
    long invoked() {
        return invoked.get();
    }

    @Override
    public void close() throws InterruptedException {
        invoker.shutdown();
        invoker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
