package com.headcount.adapters.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.decision.DecisionMetrics;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Provisional;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.Verdict;
import com.headcount.testing.Scans;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision metrics a batch emits, in the Embedded Metric Format CloudWatch reads from the function's log. */
class EmbeddedMetricsTest {

    static final Instant NOW = Scans.START.plus(Duration.ofHours(1));

    @Test
    void eachGateGetsItsCountsByOutcomeAndTheLiveScansTimeFromScanToDecision() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        // north: two live scans decided 180 and 420 ms after they were made, one duplicate
        outcomes.add(Outcome.accepted("s1", Scans.scan("p1", "north", NOW.minusMillis(180)), NOW.minusMillis(100), NOW));
        outcomes.add(Outcome.accepted("s2", Scans.scan("p2", "north", NOW.minusMillis(420)), NOW.minusMillis(300), NOW));
        outcomes.add(Outcome.duplicate("s3", Scans.scan("p1", "north", NOW.minusMillis(50)), "x", NOW.minusSeconds(60),
                NOW.minusMillis(20), NOW));
        // south: an offline gate's backlog, made two hours ago: counted, but no part of the live time
        outcomes.add(Outcome.rejected("s4", Scans.scan("p9", "south", NOW.minus(Duration.ofHours(2))),
                RejectReason.PARTICIPANT_NOT_FOUND, null, NOW.minusSeconds(1), NOW));

        var metrics = DecisionMetrics.of(outcomes, NOW.minusMillis(750), NOW);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : new EmbeddedMetrics("Headcount/prod").lines(metrics, NOW)) lines.add(JSON.std.mapFrom(line));

        assertEquals(3, lines.size(), "one line per gate, one for the batch");
        Map<String, Object> north = lines.get(0);
        assertEquals("north", north.get("Gate"));
        assertEquals(2, north.get("ScansDecided.accepted"));
        assertEquals(1, north.get("ScansDecided.duplicate"));
        assertEquals(List.of(180, 420, 50), north.get("ScanToDecision"));
        Map<?, ?> directive = (Map<?, ?>) ((List<?>) ((Map<?, ?>) north.get("_aws")).get("CloudWatchMetrics")).get(0);
        assertEquals("Headcount/prod", directive.get("Namespace"));
        assertEquals(List.of(List.of("Gate")), directive.get("Dimensions"));
        assertEquals(List.of("ScansDecided.accepted", "ScansDecided.duplicate", "ScanToDecision"),
                ((List<?>) directive.get("Metrics")).stream().map(m -> ((Map<?, ?>) m).get("Name")).toList());
        assertEquals(NOW.toEpochMilli(), ((Number) ((Map<?, ?>) north.get("_aws")).get("Timestamp")).longValue());

        Map<String, Object> south = lines.get(1);
        assertEquals(1, south.get("ScansDecided.rejected"));
        assertEquals(null, south.get("ScanToDecision"), "a late upload's hours are not a check-in time");

        assertEquals(750, lines.get(2).get("BatchAge"));
    }

    @Test
    void eachGatesLineCarriesItsEdgeMismatchesByKindAndTheProvisionalsItCouldNotRead() throws Exception {
        Provisional letIn = Provisional.of(Verdict.ACCEPTED, null, 3);
        List<Outcome> outcomes = List.of(
                Outcome.rejected("s1", Scans.scan("p1", "north", NOW), RejectReason.PARTICIPANT_INACTIVE, null, NOW, NOW)
                        .withProvisional(letIn),
                Outcome.duplicate("s2", Scans.scan("p2", "north", NOW), "x", NOW.minusSeconds(60), NOW, NOW)
                        .withProvisional(letIn),
                Outcome.accepted("s3", Scans.scan("p3", "north", NOW), NOW, NOW)
                        .withProvisional(Provisional.of(Verdict.DUPLICATE, null, 3)),
                Outcome.accepted("s4", Scans.scan("p4", "north", NOW), NOW, NOW)
                        .withProvisional(Provisional.malformed("provisional: expected an object")),
                Outcome.accepted("s5", Scans.scan("p5", "south", NOW), NOW, NOW).withProvisional(letIn));
        var lines = new ArrayList<Map<String, Object>>();
        for (String line : new EmbeddedMetrics("Headcount/prod").lines(DecisionMetrics.of(outcomes, NOW, NOW), NOW)) {
            lines.add(JSON.std.mapFrom(line));
        }
        Map<String, Object> north = lines.get(0);
        assertEquals(2, north.get("EdgeMismatches.cloud_refused_gate_accepted"));
        assertEquals(1, north.get("EdgeMismatches.cloud_accepted_gate_refused"));
        assertEquals(1, north.get("ProvisionalsIgnored"));
        Map<?, ?> directive = (Map<?, ?>) ((List<?>) ((Map<?, ?>) north.get("_aws")).get("CloudWatchMetrics")).get(0);
        var names = ((List<?>) directive.get("Metrics")).stream().map(m -> ((Map<?, ?>) m).get("Name")).toList();
        assertEquals(true, names.containsAll(List.of("EdgeMismatches.cloud_refused_gate_accepted",
                "EdgeMismatches.cloud_accepted_gate_refused", "ProvisionalsIgnored")), names.toString());
        Map<String, Object> south = lines.get(1);
        assertEquals("south", south.get("Gate"));
        assertEquals(false, south.keySet().stream().anyMatch(k -> k.startsWith("EdgeMismatches")),
                "a gate the cloud agreed with has no mismatch metric");
    }

    @Test
    void anEmptyBatchSaysNothingAndTheMetricNamesFollowTheVerdicts() {
        assertEquals(List.of(), new EmbeddedMetrics("Headcount").lines(DecisionMetrics.of(List.of(), null, NOW), NOW));
        assertEquals("ScansDecided.rejected", EmbeddedMetrics.metricName(Verdict.REJECTED));
    }
}
