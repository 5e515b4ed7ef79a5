package com.headcount.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.forecast.ArrivalCurve;
import com.headcount.core.forecast.EventWindow;
import com.headcount.core.forecast.ForecastInput;
import com.headcount.core.forecast.Forecaster;
import com.headcount.core.forecast.GateRecentLoad;
import com.headcount.core.reference.ArrivalProfile;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ForecastSettings;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot feeds the forecaster what the aggregates hold: a synthetic arrival curve whose input is known. */
class StatisticsSnapshotTest {

    static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    static final AttendanceEvent EVENT = new AttendanceEvent("e", "E", START, START.plus(Duration.ofHours(8)),
            ZoneId.of("Asia/Kolkata"), Duration.ofMinutes(2), 0.8, 0.3);

    @Test
    void aSteadyTenArrivalsPerFiveMinutesSinceDoorsOpenIsTheCurveTheForecastIsComputedOn() {
        Instant now = START.plus(Duration.ofHours(2)).plusSeconds(90); // 3 h 1½ min after doors open: bucket 36 filling
        var aggs = EventAggregates.empty();
        for (int i = 0; i <= 36; i++) aggs.overall.add(Figures.CURVE + i, 10);
        aggs.overall.add("attended", 370);
        // north: 40 scans in the last five minutes at 20/min → load 0.4
        Instant recent = now.minus(Duration.ofMinutes(2));
        aggs.gate("north").add(Figures.MINUTE + Figures.minute(recent), 40);
        aggs.gate("north").add("scans", 40);
        List<Gate> gates = List.of(new Gate("e", "north", "North", true, 20), new Gate("e", "south", "South", true, 10));

        Map<String, Object> snapshot = StatisticsSnapshot.of(EVENT, gates, 1000, aggs, List.of(), now);

        var expected = Forecaster.forecast(new ForecastInput(new EventWindow(EVENT.start(), EVENT.end(), EVENT.timeZone()),
                1000, 370, ArrivalCurve.perFiveMinutes(new ArrayList<>(Collections.nCopies(37, 10))),
                List.of(new GateRecentLoad("north", 20, 40), new GateRecentLoad("south", 10, 0)),
                ForecastSettings.defaults()), now).toMap();
        assertEquals(expected, snapshot.get("predictive"));
        assertEquals(0.4, ((Map<?, ?>) ((Map<?, ?>) snapshot.get("gates")).get("north")).get("currentLoad"));
        assertEquals(37.0, ((Map<?, ?>) snapshot.get("overall")).get("attendanceRate"));
    }

    @Test
    void theForecastRunsOnTheEventsOwnSettings() {
        Instant now = START.plus(Duration.ofHours(1));
        var aggs = EventAggregates.empty();
        for (int i = 0; i <= 24; i++) aggs.overall.add(Figures.CURVE + i, i < 6 ? 60 : 2);
        aggs.overall.add("attended", 398);
        var keynote = new ForecastSettings(0.6, 0.5, ArrivalProfile.of(0, 0.7, 0.8, 0.9, 1));
        var event = new AttendanceEvent("e", "E", EVENT.start(), EVENT.end(), EVENT.timeZone(), Duration.ofMinutes(2),
                0.8, 0.3, keynote);

        Map<String, Object> snapshot = StatisticsSnapshot.of(event, List.of(), 1000, aggs, List.of(), now);

        List<Integer> curve = new ArrayList<>();
        for (int i = 0; i <= 24; i++) curve.add(i < 6 ? 60 : 2);
        var expected = Forecaster.forecast(new ForecastInput(new EventWindow(event.start(), event.end(), event.timeZone()),
                1000, 398, ArrivalCurve.perFiveMinutes(curve), List.of(), keynote), now).toMap();
        assertEquals(expected, snapshot.get("predictive"));
        var withDefaults = StatisticsSnapshot.of(EVENT, List.of(), 1000, aggs, List.of(), now).get("predictive");
        assertTrue(!expected.get("expectedFinalAttendance").equals(((Map<?, ?>) withDefaults).get("expectedFinalAttendance")),
                "the settings change the forecast");
    }

    @Test
    void hoursAreTheEventsOwnEvenHalfAnHourOffUtc() {
        Instant t = Instant.parse("2026-11-26T10:20:00Z"); // 15:50 in Kolkata
        assertEquals("HOUR#2026-11-26T09:30:00Z", Figures.hourKey(t, EVENT.timeZone()));
        var aggs = EventAggregates.empty();
        aggs.hour(Figures.hourKey(t, EVENT.timeZone())).add("scans", 1);
        aggs.overall.add("scans", 1);
        var hourly = (List<?>) StatisticsSnapshot.of(EVENT, List.of(), 10, aggs, List.of(), t).get("hourly");
        assertEquals("2026-11-26T15:00:00+05:30", ((Map<?, ?>) hourly.get(0)).get("hour"));
        assertEquals(15, ((Map<?, ?>) hourly.get(0)).get("localHour"));
    }
}
