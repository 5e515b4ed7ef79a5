package com.headcount.local.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.local.lambda.LocalContext;
import com.headcount.local.testing.Emulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Scans of an event that is not in the reference table (deleted after they were decided) are kept aside, uncounted,
 * and the batch goes on: the real StatsFunction on dynalite, so the grants test sees the call it makes for them.
 */
@ExtendWith(Emulators.Extension.class)
class StatsUncountedTest {

    @Test
    void scans_of_an_event_that_no_longer_exists_are_recorded_uncounted_and_the_batch_succeeds(Emulators emulators) {
        try (var h = new StatsHarness(emulators)) {
            var s = h.statsSettings("");
            // the harness's event was never saved: to the function it no longer exists
            var function = h.statsFunction(s, Clock.systemUTC(), StatsHarness.NO_WAIT);
            var response = function.handleRequest(h.recorded("north", 0, 3, Instant.now()),
                    new LocalContext("StatsFunction", Duration.ofMinutes(1)));

            assertTrue(response.getBatchItemFailures().isEmpty(), "the batch passes");
            var kept = h.dynamo.query(q -> q.tableName(s.statisticsTable()).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("UNCOUNTED#" + h.eventId)))).items();
            assertEquals(3, kept.size(), "each scan kept aside once: " + kept);
        }
    }
}
