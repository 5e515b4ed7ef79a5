package com.headcount.core.forecast;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The forecasts for one event at one moment (docs/architecture.md, "Statistics, alerts and forecasts"). See
 * docs/FORECASTS.md for the method.
 *
 * @param hourly     every local hour from doors open to the end that has arrivals observed or expected
 * @param peakHour   the hour with the most arrivals expected; absent when none are observed or expected
 * @param completion absent when nobody remains to arrive (or no gate can let them in)
 */
public record Forecast(
        Instant computedAt,
        ExpectedAttendance expectedFinalAttendance,
        List<HourlyArrivals> hourly,
        Optional<HourlyArrivals> peakHour,
        List<GateShare> gateLoad,
        Optional<Completion> completion) {

    public Forecast {
        Objects.requireNonNull(computedAt, "computedAt");
        Objects.requireNonNull(expectedFinalAttendance, "expectedFinalAttendance");
        hourly = List.copyOf(hourly);
        gateLoad = List.copyOf(gateLoad);
        Objects.requireNonNull(peakHour, "peakHour");
        Objects.requireNonNull(completion, "completion");
    }

    /**
     * Plain maps, lists, strings and numbers, ready for any JSON writer. Times are ISO-8601; hours carry the
     * event's offset. Absent values are left out rather than written as null.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computedAt", computedAt.toString());
        ExpectedAttendance a = expectedFinalAttendance;
        Map<String, Object> attendance = new LinkedHashMap<>();
        attendance.put("expected", a.expected());
        attendance.put("low", a.low());
        attendance.put("high", a.high());
        attendance.put("remaining", a.remaining());
        attendance.put("observedWeight", round(a.observedWeight()));
        m.put("expectedFinalAttendance", attendance);
        peakHour.ifPresent(h -> m.put("peakHour", hourMap(h)));
        m.put("hourly", hourly.stream().map(Forecast::hourMap).toList());
        m.put("gateLoad", gateLoad.stream().map(Forecast::gateMap).toList());
        completion.ifPresent(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("at", c.at().toString());
            cm.put("ratePerMinute", round(c.ratePerMinute()));
            cm.put("limitedBy", c.limitedBy().wireName());
            cm.put("reached", c.reached());
            m.put("completion", cm);
        });
        return m;
    }

    private static Map<String, Object> hourMap(HourlyArrivals h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(h.start()));
        m.put("localHour", h.start().getHour());
        m.put("observed", h.observed());
        m.put("projected", round(h.projected()));
        m.put("expected", round(h.expected()));
        return m;
    }

    private static Map<String, Object> gateMap(GateShare g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateId", g.gateId());
        m.put("shareOfRemaining", round(g.shareOfRemaining()));
        m.put("expectedArrivals", round(g.expectedArrivals()));
        m.put("expectedPerMinute", round(g.expectedPerMinute()));
        m.put("projectedLoadFactor", round(g.projectedLoadFactor()));
        return m;
    }

    // Dashboards show a few decimals; more digits would only suggest a precision the method does not have.
    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
