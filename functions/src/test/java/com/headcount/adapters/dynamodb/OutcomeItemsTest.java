package com.headcount.adapters.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.scan.Scan;
import com.headcount.testing.Scans;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeItemsTest {

    static final Instant AT = Scans.START.plusSeconds(600);

    @Test
    void everyOutcomeIsInTheParticipantsIndexOnlyAcceptedScansInTheGates() {
        Scan scan = Scans.scan("p-1", "north", AT);
        var accepted = OutcomeItems.item(Outcome.accepted("s", scan, AT, AT));
        var duplicate = OutcomeItems.item(Outcome.duplicate("s", scan, "first", AT, AT, AT));
        var rejected = OutcomeItems.item(Outcome.rejected("s", scan, RejectReason.PARTICIPANT_INACTIVE, null, AT, AT));

        assertEquals(scan.eventId() + "#north", accepted.get(OutcomeItems.GATE_KEY).s());
        assertFalse(duplicate.containsKey(OutcomeItems.GATE_KEY), "a duplicate costs no byGate write");
        assertFalse(rejected.containsKey(OutcomeItems.GATE_KEY), "a reject costs no byGate write");
        for (var item : java.util.List.of(accepted, duplicate, rejected)) {
            assertTrue(item.containsKey(OutcomeItems.PARTICIPANT_KEY) && item.containsKey(OutcomeItems.TIME_KEY));
        }
        // the stored outcome reads back whole without the gate key: the gate is kept in its own attribute
        assertEquals("north", OutcomeItems.read(duplicate).gateId());
        assertEquals(Outcome.duplicate("s", scan, "first", AT, AT, AT), OutcomeItems.read(duplicate));
    }
}
