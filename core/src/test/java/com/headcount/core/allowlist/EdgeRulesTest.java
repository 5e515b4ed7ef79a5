package com.headcount.core.allowlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.Verdict;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EdgeRulesTest {

    static final Instant AT = AllowListTest.START.plus(Duration.ofHours(1));
    static final AllowList LIST = AllowList.of(AllowListTest.EVENT, 9, AllowListTest.START, EdgePolicy.defaults(),
            List.of(new Gate("evt-1", "north", null, true, 30), new Gate("evt-1", "closed", null, false, 30)),
            List.of(new Participant("evt-1", "P-1", "active"), new Participant("evt-1", "P-2", "cancelled")));
    static final EdgeRules.AcceptedHere NONE = scan -> Optional.empty();

    static Scan scan(String participant, String gate, Instant at) {
        return new Scan("s-" + participant + at.toEpochMilli(), "evt-1", participant, gate, at, "Z", ScanMethod.QR_SCAN,
                Direction.ENTRY, null, null);
    }

    @Test
    void eachReferenceRuleRefusesWithTheCloudsReasonInTheCloudsOrder() {
        assertEquals(RejectReason.PARTICIPANT_NOT_FOUND, EdgeRules.decide(scan("P-9", "nowhere", AT), LIST, AT, NONE).reason(),
                "the participant is checked before the gate, as in the cloud");
        assertEquals(RejectReason.PARTICIPANT_INACTIVE, EdgeRules.decide(scan("P-2", "north", AT), LIST, AT, NONE).reason());
        assertEquals(RejectReason.GATE_NOT_FOUND, EdgeRules.decide(scan("P-1", "closed", AT), LIST, AT, NONE).reason());
        Instant tooEarly = AllowListTest.START.minus(Duration.ofHours(1)).minusMillis(1);
        assertEquals(RejectReason.OUTSIDE_EVENT_WINDOW, EdgeRules.decide(scan("P-1", "north", tooEarly), LIST, tooEarly, NONE).reason());
        Instant ahead = AT.plus(Duration.ofMinutes(2)).plusMillis(1);
        assertEquals(RejectReason.CLOCK_SKEW, EdgeRules.decide(scan("P-1", "north", ahead), LIST, AT, NONE).reason());
        assertEquals(Verdict.ACCEPTED, EdgeRules.decide(scan("P-1", "north", AT.plus(Duration.ofMinutes(2))), LIST, AT, NONE).verdict(),
                "the tolerance's bound is included");
    }

    @Test
    void aScanTheGateAlreadyAcceptedWithinTheWindowIsADuplicateNamingTheFirst() {
        var first = new EdgeRules.FirstScan("first", AT);
        var p = EdgeRules.decide(scan("P-1", "north", AT.plusSeconds(60)), LIST, AT.plusSeconds(60), s -> Optional.of(first));
        assertEquals(Verdict.DUPLICATE, p.verdict());
        assertEquals(first, p.firstScan());
        assertEquals(Map.of("verdict", "duplicate", "allowListVersion", 9L), p.toMap());
    }

    @Test
    void theProvisionalObjectCarriesTheReasonOnlyWhenRejected() {
        var rejected = EdgeRules.decide(scan("P-2", "north", AT), LIST, AT, NONE);
        assertEquals(Map.of("verdict", "rejected", "reason", "participant_inactive", "allowListVersion", 9L), rejected.toMap());
        var accepted = EdgeRules.decide(scan("P-1", "north", AT), LIST, AT, NONE);
        assertEquals(Map.of("verdict", "accepted", "allowListVersion", 9L), accepted.toMap());
        assertNull(accepted.reason());
    }
}
