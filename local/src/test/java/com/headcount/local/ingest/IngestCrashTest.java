package com.headcount.local.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import com.headcount.core.decision.WindowRule;
import com.headcount.local.testing.Emulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The ingest function dies after each of its requests in turn (every later request fails, as if the instance were
 * gone), then the batch is delivered again from where Lambda would resume. After each run: every window claim names
 * a scan whose stored outcome is that scan, accepted; every accepted scan holds its claim; the outcomes are those of
 * a run without crashes.
 */
@ExtendWith(Emulators.Extension.class)
class IngestCrashTest {

    /** Lets {@code allowed} requests through, then fails every request, like a process that died. */
    static final class CrashAfter implements ExecutionInterceptor {
        final AtomicInteger allowed = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicInteger seen = new AtomicInteger();
        final AtomicBoolean crashed = new AtomicBoolean();

        void arm(int requests) {
            seen.set(0);
            crashed.set(false);
            allowed.set(requests);
        }

        void disarm() {
            allowed.set(Integer.MAX_VALUE);
            crashed.set(false);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (crashed.get()) throw SdkClientException.create("injected: the instance is gone");
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (seen.incrementAndGet() >= allowed.get()) crashed.set(true);
        }
    }

    @Test
    void aCrashAfterAnyRequestThenARedeliveryLeavesEveryClaimOnAnAcceptedScan(Emulators emulators) {
        var crash = new CrashAfter();
        var h = new IngestHarness(emulators, crash);
        Instant around = h.now.minus(Duration.ofMinutes(120)); // every scan of a batch stays in the past

        // a clean run counts the requests one batch makes and gives the outcomes to expect
        List<Map<String, Object>> clean = batch(h, 0, around);
        crash.disarm();
        crash.seen.set(0);
        assertTrue(WindowIntegrityTest.invoke(h.newFunction(), clean).getBatchItemFailures().isEmpty());
        int requests = crash.seen.get();
        Map<String, Verdict> expected = verdicts(h, clean);
        assertTrue(requests >= 15, "the batch exercises the store: " + requests + " requests");

        for (int n = 1; n < requests; n++) {
            List<Map<String, Object>> messages = batch(h, n, around);
            crash.arm(n);
            var first = WindowIntegrityTest.invoke(h.newFunction(), messages);
            crash.disarm();
            // Lambda resumes at the reported record; a function that died outright gets its whole batch again
            int resumeAt = first.getBatchItemFailures().isEmpty() ? messages.size() : index(first, messages);
            List<Map<String, Object>> rest = messages.subList(resumeAt, messages.size());
            if (!rest.isEmpty()) {
                assertTrue(WindowIntegrityTest.invoke(h.newFunction(), rest).getBatchItemFailures().isEmpty(),
                        "crash after request " + n + ": the redelivery completes");
            }
            var slots = WindowSlots.read(h.dynamo, h.settings.windowsTable());
            assertEquals(List.of(), slots.violations(h.eventId, h.outcomes), "crash after request " + n);
            List<Outcome> accepted = messages.stream().filter(m -> !"yesterday".equals(m.get("timestamp")))
                    .map(m -> stored(h, m)).filter(Outcome::isAccepted).distinct().toList();
            assertEquals(List.of(), slots.acceptedWithoutSlot(h.eventId, accepted), "crash after request " + n);
            Map<String, Verdict> got = verdicts(h, messages);
            assertEquals(expected, got, "crash after request " + n + ": the same outcomes as without the crash");
        }
    }

    /**
     * One batch touching every path: accepted, a duplicate within a block and across a block edge (a mirror), a
     * reject, a malformed message, and one scan id sent with two bodies. Run {@code n} uses its own participants.
     */
    private static List<Map<String, Object>> batch(IngestHarness h, int n, Instant around) {
        int p = 10 * n;
        // where two blocks of the lane of c and d meet
        Instant edge = WindowRule.nextBlockEdge(around, WindowRule.offsetOf(h.eventId + "#p-" + (p + 2) + "#north#entry"));
        List<Map<String, Object>> m = new ArrayList<>();
        m.add(h.scan("p-" + (p + 1), "north", edge.plus(Duration.ofMinutes(20))));   // a: accepted
        m.add(h.scan("p-" + (p + 1), "north", edge.plus(Duration.ofMinutes(21))));   // b: duplicate of a
        m.add(h.scan("p-" + (p + 2), "north", edge.minusSeconds(90)));               // c: accepted, mirrored
        m.add(h.scan("p-" + (p + 2), "north", edge.plusSeconds(90)));                // d: duplicate of c, other block
        m.add(h.scan("p-cancelled", "north", edge.plus(Duration.ofMinutes(5))));     // e: rejected
        m.add(h.scan("p-" + (p + 3), "south", edge.plus(Duration.ofMinutes(10))));   // f: accepted
        Map<String, Object> reused = new LinkedHashMap<>(h.scan("p-" + (p + 4), "south", edge.plus(Duration.ofMinutes(12))));
        reused.put("scanId", m.get(5).get("scanId"));                                 // g: f's id, another body
        m.add(reused);
        Map<String, Object> broken = new LinkedHashMap<>(h.scan("p-" + (p + 5), "north", edge));
        broken.put("timestamp", "yesterday");                                         // h: malformed
        m.add(broken);
        m.add(h.scan("p-" + (p + 5), "north", edge.plus(Duration.ofMinutes(30))));   // i: accepted after it
        return m;
    }

    private static Map<String, Verdict> verdicts(IngestHarness h, List<Map<String, Object>> messages) {
        Map<String, Verdict> byPosition = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            if (i == 7) continue; // malformed: stored by source, not by id
            byPosition.put(Character.toString('a' + i), stored(h, messages.get(i)).verdict());
        }
        return byPosition;
    }

    private static Outcome stored(IngestHarness h, Map<String, Object> message) {
        return h.outcomes.get(new ScanRef(h.eventId, (String) message.get("scanId"))).orElseThrow();
    }

    private static int index(com.amazonaws.services.lambda.runtime.events.StreamsEventResponse response,
                             List<Map<String, Object>> messages) {
        String sequence = response.getBatchItemFailures().get(0).getItemIdentifier();
        // invoke() numbers the batch's records consecutively: the failed one's offset is its position
        long first = WindowIntegrityTest.SEQUENCE.get() - messages.size();
        return (int) (Long.parseLong(sequence) - first);
    }
}
