package com.headcount.local.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.core.decision.Outcome;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.scan.Direction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The statistics recomputed from the stored records alone, written independently of the stats code (plain streams
 * over the accepted outcomes), and compared with a snapshot figure by figure.
 */
final class GroundTruth {

    private GroundTruth() {}

    static long minute(Instant t) {
        return Math.floorDiv(t.toEpochMilli(), 60_000L);
    }

    static void assertSnapshotMatches(Map<String, Object> snapshot, List<Outcome> accepted, AttendanceEvent event,
                                      List<Gate> gates, long activeParticipants, Instant now) {
        Map<String, ?> overall = section(snapshot, "overall");
        Map<String, List<Outcome>> byParticipant = accepted.stream().collect(Collectors.groupingBy(Outcome::participantId));
        long attended = byParticipant.values().stream()
                .filter(l -> l.stream().anyMatch(o -> o.scan().direction() == Direction.ENTRY)).count();
        long inside = byParticipant.values().stream()
                .filter(l -> l.stream().max(Comparator.comparing((Outcome o) -> o.scan().scannedAt())
                        .thenComparing(Outcome::scanId)).orElseThrow().scan().direction() == Direction.ENTRY)
                .count();
        // the windows end at the latest scan time, between now − 5 minutes and now (docs/STATISTICS.md, "The figures")
        Instant latest = accepted.stream().map(o -> o.scan().scannedAt()).max(Comparator.naturalOrder()).orElse(now);
        Instant windowsEnd = latest.isAfter(now) ? now : latest.isBefore(now.minus(Duration.ofMinutes(5)))
                ? now.minus(Duration.ofMinutes(5)) : latest;
        assertEquals(windowsEnd.toString(), overall.get("windowsEndAt"), "where the windows end");
        long nowMinute = minute(windowsEnd);
        List<Outcome> entries = accepted.stream().filter(o -> o.scan().direction() == Direction.ENTRY).toList();
        long last15 = entries.stream().filter(o -> minute(o.scan().scannedAt()) > nowMinute - 15
                && minute(o.scan().scannedAt()) <= nowMinute).count();
        long previous15 = entries.stream().filter(o -> minute(o.scan().scannedAt()) > nowMinute - 30
                && minute(o.scan().scannedAt()) <= nowMinute - 15).count();

        assertEquals(activeParticipants, number(overall, "totalParticipants"), "total active participants");
        assertEquals(attended, number(overall, "attended"), "attended");
        assertEquals(Math.round(attended * 10_000.0 / activeParticipants) / 100.0,
                ((Number) overall.get("attendanceRate")).doubleValue(), 1e-9, "attendance rate");
        assertEquals(inside, number(overall, "occupancy"), "occupancy");
        assertEquals(accepted.size(), number(overall, "acceptedScans"), "accepted scans");
        assertEquals(entries.size(), number(overall, "entries"), "entries");
        Map<String, ?> trend = section(overall, "trend");
        assertEquals(last15, number(trend, "last15Minutes"), "arrivals, last 15 minutes");
        assertEquals(previous15, number(trend, "previous15Minutes"), "arrivals, the 15 minutes before");
        String word = last15 > previous15 * 1.1 ? "rising" : last15 < previous15 * 0.9 ? "falling" : "steady";
        assertEquals(word, trend.get("direction"));

        Map<String, ?> gateDocs = section(snapshot, "gates");
        Map<String, List<Outcome>> byGate = accepted.stream().collect(Collectors.groupingBy(Outcome::gateId));
        for (Gate gate : gates) {
            List<Outcome> at = byGate.getOrDefault(gate.gateId(), List.of());
            Map<String, ?> doc = section(gateDocs, gate.gateId());
            String what = "gate " + gate.gateId() + ": ";
            assertEquals(at.size(), number(doc, "totalProcessed"), what + "total processed");
            assertEquals(methods(at), longs(section(doc, "methods")), what + "methods");
            if (!at.isEmpty()) {
                assertEquals(at.stream().map(o -> o.scan().scannedAt()).max(Comparator.naturalOrder()).orElseThrow().toString(),
                        doc.get("lastAttendance"), what + "last attendance");
            }
            assertProcessing(at, section(doc, "processing"), section(doc, "lateUploads"), nowMinute, what);
            long last5 = at.stream().filter(o -> minute(o.scan().scannedAt()) > nowMinute - 5
                    && minute(o.scan().scannedAt()) <= nowMinute).count();
            assertEquals(last5, number(doc, "acceptedLast5Minutes"), what + "last 5 minutes");
            double load = gate.capacityPerMinute() == 0 ? 0 : last5 / (gate.capacityPerMinute() * 5.0);
            assertEquals(Math.round(load * 1000) / 1000.0, ((Number) doc.get("currentLoad")).doubleValue(), 1e-9, what + "load");
            double mu = gate.capacityPerMinute();
            double wait = mu == 0 || load == 0 ? 0 : load >= 1 ? 60 : Math.min(60, load / (mu * (1 - load)));
            assertEquals(Math.round(wait * 1000) / 1000.0, ((Number) doc.get("estimatedWaitMinutes")).doubleValue(), 1e-9,
                    what + "wait");
        }

        Map<Instant, List<Outcome>> byHour = new TreeMap<>(accepted.stream().collect(Collectors.groupingBy(
                o -> ZonedDateTime.ofInstant(o.scan().scannedAt(), event.timeZone()).truncatedTo(ChronoUnit.HOURS).toInstant())));
        @SuppressWarnings("unchecked")
        List<Map<String, ?>> hourly = (List<Map<String, ?>>) snapshot.get("hourly");
        assertEquals(byHour.size(), hourly.size(), "hourly buckets");
        int i = 0;
        for (var hour : byHour.entrySet()) {
            Map<String, ?> doc = hourly.get(i++);
            ZonedDateTime local = ZonedDateTime.ofInstant(hour.getKey(), event.timeZone());
            assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local), doc.get("hour"), "hour in the event's zone");
            assertEquals(local.getHour(), ((Number) doc.get("localHour")).intValue());
            assertEquals(hour.getValue().size(), number(doc, "count"), "count of " + local);
            assertEquals(methods(hour.getValue()), longs(section(doc, "methods")), "methods of " + local);
            Map<String, Long> perGate = new TreeMap<>(hour.getValue().stream()
                    .collect(Collectors.groupingBy(Outcome::gateId, Collectors.counting())));
            assertEquals(perGate, longs(section(doc, "gates")), "gates of " + local);
        }
    }

    static final long[] LATENCY_BOUNDS = {50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000,
            20_000, 30_000, 60_000};

    /**
     * Received more than a minute after the scan: a late upload, counted apart. Otherwise live: decided − scanned,
     * median and p95 of the last 5 minutes as the upper bound of the histogram bucket holding the nearest rank.
     */
    static void assertProcessing(List<Outcome> at, Map<String, ?> processing, Map<String, ?> late, long windowMinute,
                                 String what) {
        List<Outcome> lateOnes = at.stream()
                .filter(o -> Duration.between(o.scan().scannedAt(), o.receivedAt()).toMillis() > 60_000).toList();
        assertEquals(lateOnes.size(), number(late, "count"), what + "late uploads");
        long ageSum = lateOnes.stream().mapToLong(o -> Duration.between(o.scan().scannedAt(), o.receivedAt()).toMillis()).sum();
        assertEquals(lateOnes.isEmpty() ? 0 : Math.round(ageSum / (double) lateOnes.size()), number(late, "meanAgeMs"),
                what + "late uploads' mean age");
        assertEquals(lateOnes.stream().mapToLong(o -> Duration.between(o.scan().scannedAt(), o.receivedAt()).toMillis())
                .max().orElse(0), number(late, "maxAgeMs"), what + "late uploads' max age");
        List<Long> live = at.stream()
                .filter(o -> Duration.between(o.scan().scannedAt(), o.receivedAt()).toMillis() <= 60_000)
                .filter(o -> minute(o.scan().scannedAt()) > windowMinute - 5 && minute(o.scan().scannedAt()) <= windowMinute)
                .map(o -> Math.max(0, Duration.between(o.scan().scannedAt(), o.decidedAt()).toMillis()))
                .sorted().toList();
        assertEquals(live.size(), number(processing, "liveScansLast5Minutes"), what + "live scans");
        assertEquals(live.isEmpty() ? null : bucketBound(live.get((int) Math.ceil(0.5 * live.size()) - 1)),
                processing.get("medianMs") == null ? null : ((Number) processing.get("medianMs")).longValue(), what + "median");
        assertEquals(live.isEmpty() ? null : bucketBound(live.get((int) Math.ceil(0.95 * live.size()) - 1)),
                processing.get("p95Ms") == null ? null : ((Number) processing.get("p95Ms")).longValue(), what + "p95");
    }

    static Long bucketBound(long millis) {
        for (long bound : LATENCY_BOUNDS) if (millis <= bound) return bound;
        return LATENCY_BOUNDS[LATENCY_BOUNDS.length - 1];
    }

    static Map<String, Long> methods(List<Outcome> outcomes) {
        return new TreeMap<>(outcomes.stream().collect(Collectors.groupingBy(o -> o.scan().method().wireName(),
                Collectors.counting())));
    }

    static Map<String, Long> longs(Map<String, ?> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, ?> section(Map<String, ?> doc, String name) {
        Object section = doc.get(name);
        if (section == null) throw new AssertionError("no " + name + " in " + doc.keySet());
        return (Map<String, ?>) section;
    }

    static long number(Map<String, ?> doc, String name) {
        Object v = doc.get(name);
        if (v == null) throw new AssertionError("no " + name + " in " + doc);
        return ((Number) v).longValue();
    }

    static Map<String, Object> copy(Map<String, Object> m) {
        return new HashMap<>(m);
    }
}
