package com.headcount.local.ingest;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.ScanRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

/** Transient AWS errors injected into the real SDK clients of the ingest function, with the runner retrying. */
@ExtendWith(Emulators.Extension.class)
class IngestFaultTest {

    /** Throttles the outcome write of one scan a few times: more than the SDK's own retries absorb. */
    static final class ThrottleOutcomeWrite implements ExecutionInterceptor {
        final AtomicInteger remaining = new AtomicInteger(4);
        volatile String scanId;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && scanId != null
                    && put.item().get("scanKey").s().endsWith("#" + scanId) && remaining.getAndDecrement() > 0) {
                throw ProvisionedThroughputExceededException.builder().message("injected throttling").statusCode(400).build();
            }
        }
    }

    /** Fails the first PutRecords to `attendance-recorded` outright. */
    static final class FailFirstPublish implements ExecutionInterceptor {
        final AtomicInteger remaining = new AtomicInteger(1);

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutRecordsRequest put && put.streamName().startsWith("attendance-recorded")
                    && remaining.getAndDecrement() > 0) {
                throw new IllegalStateException("injected: stream unreachable");
            }
        }
    }

    @Test
    void aThrottledWriteIsRetriedFromItsRecordAndNothingIsLostOrDoubled(Emulators emulators) {
        var throttle = new ThrottleOutcomeWrite();
        var publishFault = new FailFirstPublish();
        var h = new IngestHarness(emulators, throttle, publishFault);
        List<Object> messages = new ArrayList<>();
        Instant t = h.now.minus(Duration.ofMinutes(20));
        for (int i = 0; i < 40; i++) messages.add(h.scan("p-" + (100 + i % 30), "north", t.plusSeconds(i)));
        throttle.scanId = (String) ((Map<?, ?>) messages.get(17)).get("scanId");
        h.publish(messages);

        try (var mapping = h.mapping(h.newFunction(), 100)) {
            mapping.pollUntilCaughtUp(Duration.ofSeconds(60));
            var counters = mapping.counters();
            assertTrue(counters.partialFailures() >= 1, "the function reported the throttled record: " + counters);
            assertTrue(counters.retries() >= 1, "and the runner redelivered: " + counters);
            assertEquals(0, counters.recordsSentToOnFailure());
        }
        assertTrue(throttle.remaining.get() < 0, "the fault was hit");
        assertTrue(publishFault.remaining.get() < 0, "the publish fault was hit");

        assertEquals(40, h.storedOutcomes(), "every scan stored once");
        Set<String> accepted = messages.stream()
                .map(m -> h.outcomes.get(new ScanRef(h.eventId, (String) ((Map<?, ?>) m).get("scanId"))).orElseThrow())
                .filter(Outcome::isAccepted).map(Outcome::scanId).collect(Collectors.toSet());
        assertEquals(30, accepted.size(), "30 participants, the 10 repeats within seconds are duplicates");
        assertTrue(accepted.contains(throttle.scanId), "the throttled scan was decided on redelivery");
        List<Outcome> recorded = h.recorded();
        assertEquals(accepted, recorded.stream().map(Outcome::scanId).collect(Collectors.toSet()),
                "every accepted scan reached attendance-recorded, nothing else did");
        assertTrue(h.onFailure.records().isEmpty());
    }
}
