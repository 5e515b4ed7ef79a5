package com.headcount.adapters.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.Outcome;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinesisAcceptedScansTest {

    static Outcome accepted(String eventId, String participantId) {
        var scan = new Scan("s-1", eventId, participantId, "north", Instant.EPOCH, "Z", ScanMethod.MANUAL,
                Direction.ENTRY, null, Map.of());
        return Outcome.accepted("src", scan, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void thePartitionKeyIsTheParticipantWithinTheEvent() {
        assertEquals("demo#p-1", KinesisAcceptedScans.partitionKey(accepted("demo", "p-1")));
    }

    @Test
    void thePartitionKeyOfTheLongestIdsStaysWithinKinesisLimitAndStable() {
        String key = KinesisAcceptedScans.partitionKey(accepted("e".repeat(128), "p".repeat(128)));
        assertTrue(key.length() <= 256, key);
        assertEquals(key, KinesisAcceptedScans.partitionKey(accepted("e".repeat(128), "p".repeat(128))));
    }
}
