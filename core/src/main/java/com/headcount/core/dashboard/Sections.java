package com.headcount.core.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sections of an event's statistics a dashboard can subscribe to: the snapshot's top-level parts
 * ({@link com.headcount.core.stats.StatisticsView}). A dashboard starts with {@link #DEFAULT} and asks for more with
 * {@code subscribe}; each {@code stats.updated} it gets carries only its sections, so a small screen showing the
 * overall figures is not sent every gate's and hour's.
 */
public final class Sections {

    public static final List<String> ALL = List.of("overall", "gates", "hourly", "predictive", "alerts");
    public static final Set<String> DEFAULT = Set.of("overall", "alerts");

    private Sections() {}

    /** The names that are not sections, in order; empty when all are. */
    public static List<String> unknown(Collection<String> names) {
        List<String> unknown = new ArrayList<>();
        for (String n : names) if (!ALL.contains(n)) unknown.add(n);
        return unknown;
    }

    /** The statistics document with only the given sections (and its event and time, always). */
    public static Map<String, Object> only(Map<String, Object> statistics, Collection<String> sections) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", statistics.get("eventId"));
        if (statistics.containsKey("version")) out.put("version", statistics.get("version"));
        for (String s : ALL) if (sections.contains(s) && statistics.containsKey(s)) out.put(s, statistics.get(s));
        out.put("lastUpdated", statistics.get("lastUpdated"));
        return out;
    }
}
