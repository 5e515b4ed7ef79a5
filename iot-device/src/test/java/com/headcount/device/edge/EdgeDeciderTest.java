package com.headcount.device.edge;

import static com.headcount.device.edge.EdgeFixtures.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeDeciderTest {

    static final Instant NOW = EdgeFixtures.START.plusSeconds(3600);

    @TempDir
    Path folder;

    @Test
    void withoutAListTheGateDecidesNothingAndSaysSo() throws Exception {
        try (EdgeDecider edge = EdgeDecider.open(folder, EdgeFixtures.EVENT, new EdgeFixtures.MovableClock(NOW))) {
            GateAnswer answer = edge.decide(scan("s1", "P-1", NOW));
            assertEquals(GateAnswer.State.NO_ALLOW_LIST, answer.state());
            assertTrue(answer.provisional().isEmpty());
        }
    }

    @Test
    void offlineTheGateKeepsDecidingByTheCloudsRulesAndItsOwnWindow() throws Exception {
        var clock = new EdgeFixtures.MovableClock(NOW);
        try (EdgeDecider edge = EdgeDecider.open(folder, EdgeFixtures.EVENT, clock)) {
            EdgeFixtures.load(edge.store(), EdgeFixtures.list(4, EdgePolicy.defaults()));
            edge.store().disconnected();
            clock.advance(Duration.ofMinutes(10));
            assertEquals(Duration.ofMinutes(10), edge.store().age().orElseThrow(), "the age grows from the disconnection");

            Instant t = clock.instant();
            GateAnswer first = edge.decide(scan("s1", "P-1", t));
            assertEquals(GateAnswer.State.DECIDED, first.state());
            assertEquals(Verdict.ACCEPTED, first.provisional().orElseThrow().verdict());
            assertEquals(4, first.provisional().orElseThrow().allowListVersion());
            GateAnswer again = edge.decide(scan("s2", "P-1", t.plusSeconds(30)));
            assertEquals(Verdict.DUPLICATE, again.provisional().orElseThrow().verdict());
            assertEquals("s1", again.provisional().orElseThrow().firstScan().scanId());
            assertEquals(RejectReason.PARTICIPANT_INACTIVE, edge.decide(scan("s3", "P-3", t)).provisional().orElseThrow().reason());
            assertEquals(RejectReason.PARTICIPANT_NOT_FOUND, edge.decide(scan("s4", "P-99", t)).provisional().orElseThrow().reason());
        }
        // restarted, still offline: the list, its age and the window are all still there
        clock.advance(Duration.ofMinutes(1));
        try (EdgeDecider restarted = EdgeDecider.open(folder, EdgeFixtures.EVENT, clock)) {
            assertEquals(Duration.ofMinutes(11), restarted.store().age().orElseThrow());
            assertEquals(Verdict.DUPLICATE, restarted.decide(scan("s5", "P-1", clock.instant())).provisional().orElseThrow().verdict());
        }
    }

    @Test
    void pastTheEventsMaximumAgeTheGateKeepsDecidingAndSaysItIsStaleWhenTheEventSaysSo() throws Exception {
        var clock = new EdgeFixtures.MovableClock(NOW);
        try (EdgeDecider edge = EdgeDecider.open(folder, EdgeFixtures.EVENT, clock)) {
            EdgeFixtures.load(edge.store(), EdgeFixtures.list(1, new EdgePolicy(Duration.ofMinutes(30), EdgePolicy.WhenStale.KEEP_DECIDING)));
            edge.store().disconnected();
            clock.advance(Duration.ofMinutes(30));
            assertEquals(GateAnswer.State.DECIDED, edge.decide(scan("s1", "P-1", clock.instant())).state(), "at the limit, not past it");
            clock.advance(Duration.ofSeconds(1));
            GateAnswer stale = edge.decide(scan("s2", "P-2", clock.instant()));
            assertEquals(GateAnswer.State.DECIDED_STALE, stale.state());
            assertTrue(stale.stale());
            assertEquals(Verdict.ACCEPTED, stale.provisional().orElseThrow().verdict());
            assertTrue(stale.describe().contains("STALE"), stale.describe());
        }
    }

    @Test
    void pastTheEventsMaximumAgeTheGateRefusesToDecideWhenTheEventSaysSoAndDecidesAgainOnceCurrent() throws Exception {
        var clock = new EdgeFixtures.MovableClock(NOW);
        try (EdgeDecider edge = EdgeDecider.open(folder, EdgeFixtures.EVENT, clock)) {
            EdgeFixtures.load(edge.store(), EdgeFixtures.list(1, new EdgePolicy(Duration.ofMinutes(30), EdgePolicy.WhenStale.REFUSE)));
            edge.store().disconnected();
            clock.advance(Duration.ofMinutes(31));
            GateAnswer refused = edge.decide(scan("s1", "P-1", clock.instant()));
            assertEquals(GateAnswer.State.REFUSED_STALE, refused.state());
            assertTrue(refused.provisional().isEmpty());
            assertTrue(edge.decide(scan("s2", "P-1", clock.instant())).provisional().isEmpty(),
                    "a refused scan took no window either");

            edge.store().confirmed(); // reconnected: the cloud says the list is current
            GateAnswer decided = edge.decide(scan("s3", "P-1", clock.instant()));
            assertEquals(GateAnswer.State.DECIDED, decided.state());
            assertEquals(Verdict.ACCEPTED, decided.provisional().orElseThrow().verdict());
        }
    }

    @Test
    void theWindowFollowsTheCloudsFinalDecision() throws Exception {
        var clock = new EdgeFixtures.MovableClock(NOW);
        try (EdgeDecider edge = EdgeDecider.open(folder, EdgeFixtures.EVENT, clock)) {
            EdgeFixtures.load(edge.store(), EdgeFixtures.list(1, EdgePolicy.defaults()));
            var s1 = scan("s1", "P-1", NOW);
            var p1 = edge.decide(s1).provisional().orElseThrow();
            // a staff phone let P-1 in at this gate a minute earlier: the cloud says duplicate
            var correction = edge.reconcile(s1, p1, "duplicate", null).orElseThrow();
            assertEquals(Correction.Kind.GATE_ACCEPTED_CLOUD_REFUSED, correction.kind());
            assertTrue(correction.describe().contains("the cloud decided duplicate"), correction.describe());
            assertEquals(Verdict.ACCEPTED, edge.decide(scan("s2", "P-1", NOW.plusSeconds(10))).provisional().orElseThrow().verdict(),
                    "s1 no longer holds the window");

            var s3 = scan("s3", "P-3", NOW);
            var p3 = edge.decide(s3).provisional().orElseThrow();
            assertEquals(Correction.Kind.GATE_REFUSED_CLOUD_ACCEPTED, edge.reconcile(s3, p3, "accepted", null).orElseThrow().kind());
            assertTrue(edge.window().holds("s3"), "the cloud accepted it: it holds the window now");
            assertTrue(edge.reconcile(scan("s2", "P-1", NOW.plusSeconds(10)),
                    new com.headcount.core.allowlist.EdgeRules.Provisional(Verdict.ACCEPTED, null, null, 1), "accepted", null).isEmpty());
        }
        assertTrue(Files.exists(folder.resolve("window.log")));
    }
}
