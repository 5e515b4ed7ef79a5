package com.headcount.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.headcount.core.allowlist.EdgePolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event's edge policy as the event API takes it: defaults, bounds, the two policies, nothing else. */
class EventEdgeSettingsTest {

    @Test
    void absentIsTheDefaultsAndBothFieldsAreTakenAndShownBack() {
        assertEquals(EdgePolicy.defaults(), EventSetup.edgePolicy(null));
        EdgePolicy set = EventSetup.edgePolicy(Map.of("maxAgeSeconds", 1800, "whenStale", "refuse"));
        assertEquals(new EdgePolicy(Duration.ofMinutes(30), EdgePolicy.WhenStale.REFUSE), set);
        var event = EventSetup.event("evt-1", Map.of("start", "2026-11-26T09:00:00Z", "end", "2026-11-26T18:00:00Z",
                "edge", Map.of("whenStale", "refuse")));
        assertEquals(Map.of("maxAgeSeconds", 1800L, "whenStale", "refuse"), EventSetup.toMap(event, set).get("edge"));
    }

    @Test
    void outOfBoundsUnknownAndMistypedSettingsAreRefusedWithTheFieldNamed() {
        for (Object bad : new Object[] {Map.of("maxAgeSeconds", 59), Map.of("maxAgeSeconds", 604_801),
                Map.of("whenStale", "maybe"), Map.of("other", 1), "refuse"}) {
            var failure = assertThrows(Problem.Failure.class, () -> EventSetup.edgePolicy(bad), String.valueOf(bad));
            assertEquals(true, failure.problem().detail().contains("edge"), failure.problem().detail());
        }
    }
}
