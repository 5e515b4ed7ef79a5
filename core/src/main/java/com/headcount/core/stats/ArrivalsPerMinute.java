package com.headcount.core.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arrivals (accepted entries) per minute over the last {@link #MINUTES} minutes, from the overall item's
 * minute counters: the dashboard's arrivals-per-minute chart. Shown in the {@code overall} section as
 * {@code arrivalsPerMinute}: {@code from} (the first minute), {@code counts} (one per minute, oldest first, the
 * current minute last).
 */
public final class ArrivalsPerMinute {

    /** The trend's two windows; the minute counters are kept a little longer (Figures.KEPT_MINUTES). */
    public static final int MINUTES = 2 * Figures.TREND_MINUTES;

    private ArrivalsPerMinute() {}

    public static Map<String, Object> of(Aggregate overall, Instant now) {
        long last = Figures.minute(now);
        long first = last - MINUTES + 1;
        List<Long> counts = new ArrayList<>();
        for (long m = first; m <= last; m++) counts.add(overall.get(Figures.MINUTE + m));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", Instant.ofEpochSecond(first * 60).toString());
        m.put("counts", counts);
        return m;
    }

    /** Puts the figure into a snapshot's {@code overall} section. */
    public static void addTo(Map<String, Object> snapshot, Aggregate overall, Instant now) {
        if (snapshot.get("overall") instanceof Map<?, ?> o) {
            @SuppressWarnings("unchecked")
            Map<String, Object> section = (Map<String, Object>) o;
            section.put("arrivalsPerMinute", of(overall, now));
        }
    }
}
