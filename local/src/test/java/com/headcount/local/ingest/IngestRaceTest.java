package com.headcount.local.ingest;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import com.headcount.handlers.IngestFunction;
import com.headcount.local.lambda.LocalContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many Lambda instances deciding scans of one participant at one gate at the same moment. Each thread is its own
 * instance (its own function object, cache and clients' state) and they are released together by a barrier, so the
 * conditional writes really do race on dynalite.
 */
@ExtendWith(Emulators.Extension.class)
class IngestRaceTest {

    static final int INSTANCES = 8;
    static final int ROUNDS = 5;

    @Test
    void differentScansWithinTheWindowRacingOnEightInstancesGiveExactlyOneAccepted(Emulators emulators) throws Exception {
        var h = new IngestHarness(emulators);
        for (int round = 0; round < ROUNDS; round++) {
            Instant t = h.now.minus(Duration.ofMinutes(50));
            List<Map<String, Object>> scans = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                // all within 5 minutes of each other, earlier and later ones mixed
                scans.add(h.scan("p-" + round, "north", t.plusSeconds((i * 37L) % 290)));
            }
            List<Outcome> outcomes = race(h, scans);

            List<Outcome> accepted = outcomes.stream().filter(Outcome::isAccepted).toList();
            assertEquals(1, accepted.size(), "round " + round + ": exactly one accepted of " + outcomes);
            for (Outcome o : outcomes) {
                if (o.isAccepted()) continue;
                assertEquals(Verdict.DUPLICATE, o.verdict());
                assertEquals(accepted.get(0).scanId(), o.firstScanId(), "every duplicate names the one accepted");
            }
        }
        assertEquals(ROUNDS * INSTANCES, h.storedOutcomes());
        assertEquals(ROUNDS, h.recorded().size(), "one publication per accepted scan");
    }

    @Test
    void theSameScanDeliveredToEightInstancesAtOnceIsAcceptedOnceAndStoredOnce(Emulators emulators) throws Exception {
        var h = new IngestHarness(emulators);
        Map<String, Object> scan = h.scan("p-7", "south", h.now.minus(Duration.ofMinutes(10)));
        List<Map<String, Object>> copies = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) copies.add(scan);

        List<Outcome> outcomes = race(h, copies);

        assertTrue(outcomes.stream().allMatch(Outcome::isAccepted), "every delivery answers accepted: " + outcomes);
        assertEquals(1, h.storedOutcomes());
        assertEquals(Verdict.ACCEPTED,
                h.outcomes.get(new ScanRef(h.eventId, (String) scan.get("scanId"))).orElseThrow().verdict());
    }

    /** Each message to its own fresh function instance, all released at once; returns the stored outcomes. */
    private static List<Outcome> race(IngestHarness h, List<Map<String, Object>> messages) throws Exception {
        List<IngestFunction> instances = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) instances.add(h.newFunction());
        CyclicBarrier start = new CyclicBarrier(messages.size());
        ExecutorService pool = Executors.newFixedThreadPool(messages.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                var event = KinesisEvents.of(List.of(IngestHarness.ruleRecord(messages.get(i))), 1000L * (i + 1));
                IngestFunction function = instances.get(i);
                runs.add(pool.submit(() -> {
                    start.await();
                    var response = function.handleRequest(event, new LocalContext("IngestFunction", Duration.ofMinutes(1)));
                    assertTrue(response.getBatchItemFailures().isEmpty(), "no instance failed");
                    return null;
                }));
            }
            for (Future<?> run : runs) run.get();
        } finally {
            pool.shutdownNow();
        }
        return messages.stream()
                .map(m -> h.outcomes.get(new ScanRef(h.eventId, (String) m.get("scanId"))).orElseThrow())
                .toList();
    }
}
