package com.headcount.core.forecast;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Observed plus projected arrivals per local hour, and the peak among them. */
final class HourlyProjection {

    private HourlyProjection() {
    }

    static List<HourlyArrivals> of(ForecastInput in, RemainingArrivals rest, Instant now) {
        EventWindow event = in.event();
        ZoneId zone = event.timeZone();
        // Keyed by the instant the hour starts: local wall-clock keys would merge the two 02:00 hours of a DST change.
        Map<Instant, int[]> observed = new TreeMap<>();
        Map<Instant, double[]> projected = new TreeMap<>();

        ArrivalCurve curve = in.arrivals();
        for (int i = 0; i < curve.counts().size(); i++) {
            Instant bucketStart = curve.bucketStart(event.doorsOpen(), i);
            if (!bucketStart.isBefore(now)) {
                break;
            }
            observed.computeIfAbsent(hourStart(bucketStart, zone), k -> new int[1])[0] += curve.counts().get(i);
        }

        Instant a = now.isBefore(event.doorsOpen()) ? event.doorsOpen() : now;
        while (a.isBefore(event.end())) {
            Instant hour = hourStart(a, zone);
            Instant next = hour.atZone(zone).plusHours(1).toInstant();
            Instant b = next.isAfter(event.end()) ? event.end() : next;
            projected.computeIfAbsent(hour, k -> new double[1])[0] += rest.expectedBetween(a, b);
            a = b;
        }

        TreeMap<Instant, HourlyArrivals> hours = new TreeMap<>();
        for (Instant h : union(observed, projected)) {
            int seen = observed.containsKey(h) ? observed.get(h)[0] : 0;
            double expected = projected.containsKey(h) ? projected.get(h)[0] : 0;
            if (seen > 0 || expected > 0) {
                hours.put(h, new HourlyArrivals(h.atZone(zone), seen, expected));
            }
        }
        return List.copyOf(hours.values());
    }

    /** The hour with the most arrivals expected; the earliest wins a tie. */
    static Optional<HourlyArrivals> peak(List<HourlyArrivals> hourly) {
        return hourly.stream()
                .max(Comparator.comparingDouble(HourlyArrivals::expected)
                        .thenComparing(h -> h.start().toInstant(), Comparator.reverseOrder()));
    }

    private static Instant hourStart(Instant t, ZoneId zone) {
        return t.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    private static List<Instant> union(Map<Instant, ?> x, Map<Instant, ?> y) {
        TreeMap<Instant, Boolean> all = new TreeMap<>();
        x.keySet().forEach(k -> all.put(k, true));
        y.keySet().forEach(k -> all.put(k, true));
        return new ArrayList<>(all.keySet());
    }
}
