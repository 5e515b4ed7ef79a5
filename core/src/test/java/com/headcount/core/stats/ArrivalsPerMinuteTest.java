package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrivalsPerMinuteTest {

    @Test
    void thirtyMinutesOldestFirstTheCurrentOneLast() {
        Instant now = Instant.parse("2026-11-26T10:07:30Z");
        Aggregate overall = Aggregate.empty(Aggregate.OVERALL);
        overall.add(Figures.MINUTE + Figures.minute(now), 4);
        overall.add(Figures.MINUTE + Figures.minute(Instant.parse("2026-11-26T09:38:59Z")), 2);
        overall.add(Figures.MINUTE + Figures.minute(Instant.parse("2026-11-26T09:37:59Z")), 9);
        Map<String, Object> m = ArrivalsPerMinute.of(overall, now);
        assertEquals("2026-11-26T09:38:00Z", m.get("from"));
        List<?> counts = (List<?>) m.get("counts");
        assertEquals(30, counts.size());
        assertEquals(2L, counts.get(0));
        assertEquals(4L, counts.get(29));
        assertEquals(6L, counts.stream().mapToLong(c -> (Long) c).sum(), "the minute before the window is left out");
    }
}
