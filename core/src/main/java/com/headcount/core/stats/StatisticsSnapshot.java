package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import com.headcount.core.forecast.ArrivalCurve;
import com.headcount.core.forecast.EventWindow;
import com.headcount.core.forecast.ForecastInput;
import com.headcount.core.forecast.Forecaster;
import com.headcount.core.forecast.GateRecentLoad;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the snapshot document of {@link StatisticsView} from the stored aggregates, at a given moment. Pure: the
 * time windows (load, wait, trend, processing time) end at {@link Figures#eventNow} and the forecast is made at
 * {@code now}, so a replayed event read at the same moment gives the same document.
 */
public final class StatisticsSnapshot {

    /** Overall counter: epoch millis of the last batch that changed the counts. */
    public static final String UPDATED_AT = "updatedAt";
    /**
     * Overall counter: how many writes changed the counts. Snapshots carry it as {@code version}, so a consumer given
     * two publications in the other order than they were read keeps the newer.
     */
    public static final String CHANGES = "changes";

    private StatisticsSnapshot() {}

    public static Map<String, Object> of(AttendanceEvent event, List<Gate> gates, long activeParticipants,
                                         EventAggregates aggs, List<Alert> history, Instant now) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("eventId", event.eventId());
        Aggregate overall = aggs.overall;
        doc.put("version", overall.get(CHANGES));
        long attended = overall.get("attended");
        Instant eventNow = Figures.eventNow(overall, now);
        long last15 = Figures.inMinutes(overall, eventNow, Figures.TREND_MINUTES, 0);
        long previous15 = Figures.inMinutes(overall, eventNow, Figures.TREND_MINUTES, Figures.TREND_MINUTES);
        Instant lastUpdated = lastUpdated(aggs);

        Map<String, Object> o = new LinkedHashMap<>();
        o.put("totalParticipants", activeParticipants);
        o.put("attended", attended);
        o.put("attendanceRate", Figures.ratePercent(attended, activeParticipants));
        o.put("occupancy", overall.get("inside"));
        o.put("acceptedScans", overall.get("scans"));
        o.put("entries", overall.get("entries"));
        o.put("exits", overall.get("exits"));
        Map<String, Object> trend = new LinkedHashMap<>();
        trend.put("last15Minutes", last15);
        trend.put("previous15Minutes", previous15);
        trend.put("direction", Figures.trend(last15, previous15));
        o.put("trend", trend);
        o.put("lastUpdated", lastUpdated == null ? null : lastUpdated.toString());
        o.put("windowsEndAt", eventNow.toString());
        o.put("edgeMismatches", EdgeMismatches.section(overall, now, false));
        doc.put("overall", o);

        Map<String, Object> gateDocs = new TreeMap<>();
        List<GateRecentLoad> recent = new ArrayList<>();
        Map<String, Gate> known = new TreeMap<>();
        for (Gate g : gates) known.put(g.gateId(), g);
        for (String gateId : union(known.keySet(), aggs.gates.keySet())) {
            Gate gate = known.get(gateId);
            Aggregate a = aggs.gates.getOrDefault(gateId, Aggregate.empty(Aggregate.gateKey(gateId)));
            int capacity = gate == null ? 0 : gate.capacityPerMinute();
            long last5 = Figures.inMinutes(a, eventNow, Figures.LOAD_MINUTES, 0);
            double load = Figures.load(last5, capacity);
            long scans = a.get("scans");
            Map<String, Object> gd = new LinkedHashMap<>();
            gd.put("gateId", gateId);
            gd.put("name", gate == null ? gateId : gate.name());
            gd.put("active", gate != null && gate.active());
            gd.put("capacityPerMinute", capacity);
            gd.put("totalProcessed", scans);
            gd.put("methods", a.group("method."));
            gd.put("lastAttendance", scans == 0 ? null : Instant.ofEpochMilli(a.get(Figures.LAST_AT)).toString());
            gd.put("processing", processing(a, eventNow));
            gd.put("lateUploads", lateUploads(a));
            gd.put("acceptedLast5Minutes", last5);
            gd.put("currentLoad", Figures.round3(load));
            gd.put("estimatedWaitMinutes", Figures.round3(Figures.waitMinutes(load, capacity)));
            gd.put("edgeMismatches", EdgeMismatches.section(a, now, true));
            gateDocs.put(gateId, gd);
            if (gate != null && gate.active() && capacity > 0) {
                recent.add(new GateRecentLoad(gateId, capacity, (int) last5));
            }
        }
        doc.put("gates", gateDocs);

        List<Map<String, Object>> hourly = new ArrayList<>();
        for (Aggregate h : aggs.hours.values()) {
            Instant start = Instant.parse(h.key().substring(Aggregate.HOUR_PREFIX.length()));
            ZonedDateTime local = ZonedDateTime.ofInstant(start, event.timeZone());
            Map<String, Object> hd = new LinkedHashMap<>();
            hd.put("hour", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local));
            hd.put("localHour", local.getHour());
            hd.put("count", h.get("scans"));
            hd.put("methods", h.group("method."));
            hd.put("gates", h.group("gate."));
            hourly.add(hd);
        }
        doc.put("hourly", hourly);

        doc.put("predictive", Forecaster.forecast(new ForecastInput(
                new EventWindow(event.start(), event.end(), event.timeZone()),
                (int) activeParticipants, (int) attended, curve(overall, event, now), recent,
                event.forecast()), now).toMap());

        // alerts still in the outbox are decided (written with the counts): shown at once, not after their delivery
        Map<String, Alert> all = new LinkedHashMap<>();
        for (Alert a : history) all.put(a.id(), a);
        for (Alert a : aggs.outbox.values()) all.putIfAbsent(a.id(), a);
        List<Alert> newestFirst = new ArrayList<>(all.values());
        newestFirst.sort(Comparator.comparing(Alert::raisedAt).thenComparing(Alert::id).reversed());
        doc.put("alerts", newestFirst.stream().map(Alert::toMap).toList());
        doc.put("lastUpdated", lastUpdated == null ? null : lastUpdated.toString());
        return doc;
    }

    /**
     * The whole document as the view, the clock and every publication show it: {@link #of} with each gate's health
     * from its heartbeats and the arrivals per minute.
     */
    public static Map<String, Object> document(AttendanceEvent event, List<Gate> gates, long activeParticipants,
                                               EventStatistics stats, Instant now) {
        EventAggregates aggs = stats.aggregates();
        Map<String, Object> doc = of(event, gates, activeParticipants, aggs, stats.history(), now);
        GateHealth.addTo(doc, aggs.heartbeats, now);
        ArrivalsPerMinute.addTo(doc, aggs.overall, now);
        return doc;
    }

    /** Decision latency of the live scans of the last 5 minutes: what a check-in takes at this gate now. */
    private static Map<String, Object> processing(Aggregate gate, Instant eventNow) {
        long[] latencies = Figures.latencies(gate, eventNow);
        long n = 0;
        for (long c : latencies) n += c;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("liveScansLast5Minutes", n);
        m.put("medianMs", Figures.percentileMs(latencies, 0.5));
        m.put("p95Ms", Figures.percentileMs(latencies, 0.95));
        return m;
    }

    /** Scans an offline gate uploaded late: how many, and how old they were when they arrived. */
    private static Map<String, Object> lateUploads(Aggregate gate) {
        long count = gate.get("late");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("meanAgeMs", count == 0 ? 0 : Math.round(gate.get("lateAgeMs") / (double) count));
        m.put("maxAgeMs", gate.get("lateMaxAgeMs"));
        m.put("lastReceivedAt", count == 0 ? null : Instant.ofEpochMilli(gate.get("lateLastAt")).toString());
        return m;
    }

    /** Arrivals (participants attended for the first time) per 5 minutes since doors open, up to now. */
    static ArrivalCurve curve(Aggregate overall, AttendanceEvent event, Instant now) {
        Instant doorsOpen = event.start().minus(EventWindow.DOORS_OPEN_BEFORE_START);
        // a past event read long after: the curve stops where scans stop being taken
        Instant until = now.isAfter(event.end().plus(AttendanceEvent.SCAN_MARGIN)) ? event.end().plus(AttendanceEvent.SCAN_MARGIN) : now;
        long buckets = Math.max(0, Duration.between(doorsOpen, until).toMillis() / Duration.ofMinutes(5).toMillis() + 1);
        Map<String, Long> counts = overall.group(Figures.CURVE);
        long lastCounted = counts.keySet().stream().mapToLong(Long::parseLong).max().orElse(-1);
        List<Integer> list = new ArrayList<>();
        for (long i = 0; i < Math.max(buckets, lastCounted + 1); i++) list.add(counts.getOrDefault(Long.toString(i), 0L).intValue());
        return ArrivalCurve.perFiveMinutes(list);
    }

    /** When a batch last changed the counts, by the updater's clock. */
    private static Instant lastUpdated(EventAggregates aggs) {
        long at = aggs.overall.get(UPDATED_AT);
        return at == 0 ? null : Instant.ofEpochMilli(at);
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
