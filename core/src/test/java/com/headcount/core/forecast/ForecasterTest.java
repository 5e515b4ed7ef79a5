package com.headcount.core.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.reference.ArrivalProfile;
import com.headcount.core.reference.ForecastSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Synthetic arrival curves whose answers are known in closed form. Every assertion states its tolerance.
 * The common event: doors 09:00Z, start 10:00Z, end 14:00Z, so the arrival span is 300 minutes.
 */
class ForecasterTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private static final EventWindow EVENT =
            new EventWindow(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T14:00:00Z"), UTC);
    private static final List<GateRecentLoad> ROOMY_GATES =
            List.of(new GateRecentLoad("north", 10, 20), new GateRecentLoad("south", 5, 0));
    /** The profile formulas of docs/FORECASTS.md ("Formulas", (a)), with the uniform reference shape. */
    private static final ForecastSettings UNIFORM = ForecastSettings.defaults().withProfile(ArrivalProfile.uniform());

    /** {@code minutes} one-minute buckets of {@code perMinute} arrivals each. */
    private static List<Integer> flat(int minutes, int perMinute) {
        return Collections.nCopies(minutes, perMinute);
    }

    private static Instant minutesAfterDoors(EventWindow event, long minutes) {
        return event.doorsOpen().plus(Duration.ofMinutes(minutes));
    }

    @Test
    void uniformCurveWithMatchingPriorForecastsTheKnownFinalExactly() {
        // 1000 active, 600 come (0.6), evenly: 2 a minute over 300 minutes. 225 minutes in, 450 are in.
        ForecastInput in = new ForecastInput(EVENT, 1000, 450, ArrivalCurve.perMinute(flat(225, 2)), ROOMY_GATES,
                UNIFORM.withPriorShowUpRate(0.6));

        ExpectedAttendance a = Forecaster.forecast(in, minutesAfterDoors(EVENT, 225)).expectedFinalAttendance();
        // the observed profile reads a steady curve as the uniform one: the same numbers
        ForecastInput observed = new ForecastInput(EVENT, 1000, 450, ArrivalCurve.perMinute(flat(225, 2)), ROOMY_GATES,
                ForecastSettings.defaults().withPriorShowUpRate(0.6));
        assertEquals(a, Forecaster.forecast(observed, minutesAfterDoors(EVENT, 225)).expectedFinalAttendance());

        assertEquals(600, a.expected(), "exact: prior and pace agree on 600 (tolerance 0)");
        assertEquals(150, a.remaining(), "exact: 600 − 450 (tolerance 0)");
        assertEquals(0.75, a.observedWeight(), 1e-9, "w = S/(S+0.25) = 0.75/1.0 (tolerance 1e-9)");
        assertTrue(a.low() <= 600 && 600 <= a.high(), "range must contain the known final");
        // 550 could still come, q = 150/550: ±1.96·√(550·q·(1−q)) = ±20.48, then floor and ceiling.
        assertEquals(579, a.low(), "600 − 20.48, floored (tolerance 0)");
        assertEquals(621, a.high(), "600 + 20.48, ceiled (tolerance 0)");
    }

    @Test
    void uniformCurveWithWrongPriorLeansOnTheObservedPaceLateInTheEvent() {
        // Truth 600; the prior says 850. Formula: 450 + 0.25·(0.75·600 + 0.25·850) = 615.625.
        ForecastInput in = new ForecastInput(EVENT, 1000, 450, ArrivalCurve.perMinute(flat(225, 2)), ROOMY_GATES,
                UNIFORM);

        ExpectedAttendance a = Forecaster.forecast(in, minutesAfterDoors(EVENT, 225)).expectedFinalAttendance();

        assertEquals(615.625, a.expected(), 0.5, "formula value 615.625, rounded (tolerance 0.5)");
        assertEquals(600, a.expected(), 600 * 0.03, "known final 600 (tolerance 3 %)");
        assertTrue(a.low() <= 600 && 600 <= a.high(), "range must contain the known final");
    }

    @Test
    void noArrivalsYetAtDoorsOpenGivesThePriorEstimate() {
        ForecastInput in = new ForecastInput(EVENT, 1000, 0, ArrivalCurve.none(), ROOMY_GATES, ForecastSettings.defaults());

        Forecast f = Forecaster.forecast(in, EVENT.doorsOpen());

        assertEquals(850, f.expectedFinalAttendance().expected(), "prior 1000 × 0.85 (tolerance 0)");
        assertEquals(0, f.expectedFinalAttendance().observedWeight(), 0, "nothing observed yet (tolerance 0)");
        assertTrue(f.completion().isPresent(), "850 still to come, so a completion time is expected");
    }

    @Test
    void noArrivalsFiveMinutesInStillLeansOnThePrior() {
        // S = 5/300; w = S/(S+0.25) = 0.0625; total = 0.9375·850; remaining share 59/60: 783.6.
        ForecastInput in = new ForecastInput(EVENT, 1000, 0, ArrivalCurve.perMinute(flat(5, 0)), ROOMY_GATES, UNIFORM);

        ExpectedAttendance a = Forecaster.forecast(in, minutesAfterDoors(EVENT, 5)).expectedFinalAttendance();

        assertEquals(783.6, a.expected(), 0.5, "formula value 783.6, rounded (tolerance 0.5)");
        assertEquals(850, a.expected(), 850 * 0.10, "prior 850 (tolerance 10 %)");
        ForecastInput observed = new ForecastInput(EVENT, 1000, 0, ArrivalCurve.perMinute(flat(5, 0)), ROOMY_GATES,
                ForecastSettings.defaults());
        assertEquals(850, Forecaster.forecast(observed, minutesAfterDoors(EVENT, 5)).expectedFinalAttendance().expected(),
                "observed: nobody yet, nothing projected, so the prior alone (tolerance 0)");
    }

    @Test
    void aFrontLoadedEventIsNotForecastAtEveryone() {
        // 600 of 1000 in the first half hour (20 a minute), then 1 a minute; 90 minutes in, 660 are in.
        // Uniform profile: S = 0.3, pace 2200, w = 0.5455, total 1586.4: 660 + 0.7 × 1586.4, capped at 1000.
        // Observed: the last 30 minutes (30) are under half the average (7.33 a minute), the fall since the 30
        // before (30) is not clear, so the last hour's 1 a minute holds: 210 more, s = 660/870 = 0.7586,
        // w = 0.7521, total = 0.7521 × 870 + 0.2479 × 850 = 865.04, expected = 660 + 0.2414 × 865.04 = 868.8.
        List<Integer> curve = new ArrayList<>(flat(30, 20));
        curve.addAll(flat(60, 1));
        Instant now = minutesAfterDoors(EVENT, 90);

        int uniform = Forecaster.forecast(new ForecastInput(EVENT, 1000, 660, ArrivalCurve.perMinute(curve), ROOMY_GATES,
                UNIFORM), now).expectedFinalAttendance().expected();
        int observed = Forecaster.forecast(new ForecastInput(EVENT, 1000, 660, ArrivalCurve.perMinute(curve), ROOMY_GATES,
                ForecastSettings.defaults()), now).expectedFinalAttendance().expected();

        assertEquals(1000, uniform, "the uniform profile says everyone (tolerance 0)");
        assertEquals(868.8, observed, 0.5, "formula value 868.8, rounded (tolerance 0.5)");
    }

    @Test
    void aClearFallIsProjectedToKeepFalling() {
        // 20 a minute for 30 minutes, 4 a minute for 30, 1 a minute for 30: at 90, c1 = 30, c2 = 120,
        // z = −90/√151 = −7.3, λ = ln(31/121)/30 = −0.045393 a minute from 1 a minute:
        // R = (e^(−0.045393 × 210) − 1) / −0.045393 = 22.03, s = 750/772.03 = 0.97146, w = 0.79525,
        // total = 0.79525 × 772.03 + 0.20475 × 850 = 787.99, expected = 750 + 0.02854 × 787.99 = 772.5.
        List<Integer> curve = new ArrayList<>(flat(30, 20));
        curve.addAll(flat(30, 4));
        curve.addAll(flat(30, 1));
        Forecast f = Forecaster.forecast(new ForecastInput(EVENT, 1000, 750, ArrivalCurve.perMinute(curve), ROOMY_GATES,
                ForecastSettings.defaults()), minutesAfterDoors(EVENT, 90));
        assertEquals(772.5, f.expectedFinalAttendance().expected(), 0.5, "formula value 772.5 (tolerance 0.5)");
    }

    @Test
    void aClearSurgeHoldsItsRate() {
        // 1 a minute for 120 minutes, then 6 a minute for 30: c1 = 180 over 30 minutes is above twice the average
        // (2 a minute) and z = 150/√211 = 10.3: 6 a minute holds for the 150 minutes left, R = 900, capped.
        List<Integer> curve = new ArrayList<>(flat(120, 1));
        curve.addAll(flat(30, 6));
        Forecast f = Forecaster.forecast(new ForecastInput(EVENT, 2000, 300, ArrivalCurve.perMinute(curve), ROOMY_GATES,
                ForecastSettings.defaults()), minutesAfterDoors(EVENT, 150));
        // s = 300/1200 = 0.25, w = 0.5, total = 0.5 × 1200 + 0.5 × 1700 = 1450, expected = 300 + 0.75 × 1450 = 1387.5
        assertEquals(1387.5, f.expectedFinalAttendance().expected(), 0.5, "formula value 1387.5 (tolerance 0.5)");
    }

    @Test
    void peakHourIsALocalHourOfTheEventsTimeZone() {
        // Berlin in July is UTC+2. Doors 08:00 local (06:00Z), start 09:00, end 12:00 local.
        // 10 a minute from 08:00 to 09:00 local, then 2 a minute; now is 10:00 local.
        EventWindow berlin = new EventWindow(
                Instant.parse("2026-07-10T07:00:00Z"), Instant.parse("2026-07-10T10:00:00Z"), BERLIN);
        List<Integer> curve = new ArrayList<>(flat(60, 10));
        curve.addAll(flat(60, 2));
        ForecastInput in = new ForecastInput(berlin, 1000, 700, ArrivalCurve.perMinute(curve), ROOMY_GATES, UNIFORM);

        Forecast f = Forecaster.forecast(in, minutesAfterDoors(berlin, 120));

        HourlyArrivals peak = f.peakHour().orElseThrow();
        assertEquals(ZonedDateTime.parse("2026-07-10T08:00+02:00[Europe/Berlin]"), peak.start(),
                "peak at 08:00 Berlin time, not 06:00 (UTC) (tolerance: exact hour)");
        assertEquals(600, peak.expected(), 1e-9, "600 observed, nothing projected into the past (tolerance 1e-9)");
        // Pace 1400 and prior 850 blend above the 1000 active; capped at 1000, 300 remain, 150 an hour to 12:00.
        assertEquals(1000, f.expectedFinalAttendance().expected(), "capped at active participants (tolerance 0)");
        assertEquals(List.of(600.0, 120.0, 150.0, 150.0),
                f.hourly().stream().map(HourlyArrivals::expected).toList(), "hourly 08..11 local (tolerance 0)");
        Map<String, Object> json = f.toMap();
        @SuppressWarnings("unchecked")
        Map<String, Object> peakJson = (Map<String, Object>) json.get("peakHour");
        assertEquals("2026-07-10T08:00:00+02:00", peakJson.get("start"), "ISO start with the event's offset");
        assertEquals(8, peakJson.get("localHour"));
    }

    @Test
    void peakHourAcrossTheAutumnDstChangeKeepsTheTwoTwoOClockHoursApart() {
        // Berlin, 25 Oct 2026: 03:00 CEST falls back to 02:00 CET at 01:00Z, so 02:00 local happens twice.
        // Doors 22:00Z (00:00 local), end 04:00Z (05:00 local). Hourly arrivals by UTC hour:
        // 22Z 60, 23Z 120, 00Z 300 (02:00+02), 01Z 360 (02:00+01), 02Z 96 (03:00+01), 03Z 480 (04:00+01).
        // Merging the two 02:00 hours would give a false 660 peak at 02:00; UTC labelling would say 03:00.
        EventWindow night = new EventWindow(
                Instant.parse("2026-10-24T23:00:00Z"), Instant.parse("2026-10-25T04:00:00Z"), BERLIN);
        List<Integer> curve = new ArrayList<>();
        for (int perHour : new int[] {60, 120, 300, 360, 96, 480}) {
            curve.addAll(flat(12, perHour / 12)); // five-minute buckets
        }
        ForecastInput in = new ForecastInput(night, 2000, 1400, ArrivalCurve.perFiveMinutes(curve), ROOMY_GATES,
                ForecastSettings.defaults());

        Forecast f = Forecaster.forecast(in, night.end());

        assertEquals("2026-10-25T04:00+01:00[Europe/Berlin]", f.peakHour().orElseThrow().start().toString(),
                "peak at 04:00 CET (tolerance: exact hour)");
        assertEquals(480, f.peakHour().orElseThrow().expected(), 1e-9, "tolerance 1e-9");
        List<String> starts = f.hourly().stream().map(h -> h.start().toOffsetDateTime().toString()).toList();
        assertEquals(List.of("2026-10-25T00:00+02:00", "2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00",
                "2026-10-25T02:00+01:00", "2026-10-25T03:00+01:00", "2026-10-25T04:00+01:00"), starts,
                "six distinct local hours, 02:00 twice with different offsets");
    }

    @Test
    void peakHourComesFromTheProfileWhenNothingIsObservedYet() {
        // Los Angeles in June is UTC−7. Doors 07:00 local (14:00Z), end 11:00 local: four hours.
        // The profile expects 10 %, 70 %, 10 %, 10 % of arrivals in those hours, so the peak is 08:00 local.
        EventWindow la = new EventWindow(
                Instant.parse("2026-06-01T15:00:00Z"), Instant.parse("2026-06-01T18:00:00Z"), LOS_ANGELES);
        ForecastInput in = new ForecastInput(la, 1000, 0, ArrivalCurve.none(), ROOMY_GATES,
                ForecastSettings.defaults().withProfile(ArrivalProfile.of(0, 0.1, 0.8, 0.9, 1.0)));

        Forecast f = Forecaster.forecast(in, la.doorsOpen());

        HourlyArrivals peak = f.peakHour().orElseThrow();
        assertEquals("2026-06-01T08:00-07:00", peak.start().toOffsetDateTime().toString(),
                "peak at 08:00 Los Angeles time (tolerance: exact hour)");
        assertEquals(0.7 * 850, peak.projected(), 1e-6, "70 % of the prior 850 (tolerance 1e-6)");
    }

    @Test
    void completionIsWhenTheGatesLetNinetyFivePercentInWhenTheyAreTheBottleneck() {
        // Truth 1200 of 2000 (0.6), 4 a minute. 180 minutes in: 720 in; 95 % of 1200 is 1140, 420 more.
        // They keep coming at 4 a minute, the gates take 2 + 1: a queue, 3 a minute, 140 minutes.
        List<GateRecentLoad> narrow = List.of(new GateRecentLoad("north", 2, 10), new GateRecentLoad("south", 1, 5));
        ForecastInput in = new ForecastInput(EVENT, 2000, 720, ArrivalCurve.perMinute(flat(180, 4)), narrow,
                ForecastSettings.defaults().withPriorShowUpRate(0.6));
        Instant now = minutesAfterDoors(EVENT, 180);

        Completion c = Forecaster.forecast(in, now).completion().orElseThrow();

        assertEquals(now.plus(Duration.ofMinutes(140)), c.at(), "420 ÷ 3 a minute = 140 min (tolerance 0 s)");
        assertEquals(Completion.LimitedBy.GATE_CAPACITY, c.limitedBy());
        assertEquals(3, c.ratePerMinute(), 1e-9, "tolerance 1e-9");
        assertFalse(c.reached());
    }

    @Test
    void completionFollowsTheArrivalRateWhenItIsBelowCapacity() {
        // Same curve, 15 a minute of capacity: arrivals (4 a minute) set the pace, 420 ÷ 4 = 105 min.
        ForecastInput in = new ForecastInput(EVENT, 2000, 720, ArrivalCurve.perMinute(flat(180, 4)), ROOMY_GATES,
                ForecastSettings.defaults().withPriorShowUpRate(0.6));

        Completion c = Forecaster.forecast(in, minutesAfterDoors(EVENT, 180)).completion().orElseThrow();

        assertEquals(minutesAfterDoors(EVENT, 285), c.at(), "420 ÷ 4 a minute = 105 min (tolerance 0 s)");
        assertEquals(Completion.LimitedBy.ARRIVAL_RATE, c.limitedBy());
    }

    @Test
    void gateLoadSplitsTheRemainingArrivalsByRecentLoad() {
        // 480 remain over 120 minutes: 4 a minute. North had 30 of the last 40 scans, south 10.
        List<GateRecentLoad> gates = List.of(new GateRecentLoad("north", 10, 30), new GateRecentLoad("south", 5, 10));
        ForecastInput in = new ForecastInput(EVENT, 2000, 720, ArrivalCurve.perMinute(flat(180, 4)), gates,
                ForecastSettings.defaults().withPriorShowUpRate(0.6));

        List<GateShare> load = Forecaster.forecast(in, minutesAfterDoors(EVENT, 180)).gateLoad();

        GateShare north = load.get(0);
        GateShare south = load.get(1);
        assertEquals(0.75, north.shareOfRemaining(), 1e-9, "30 of 40 (tolerance 1e-9)");
        assertEquals(360, north.expectedArrivals(), 1e-9, "0.75 × 480 (tolerance 1e-9)");
        assertEquals(3, north.expectedPerMinute(), 1e-9, "0.75 × 4 a minute (tolerance 1e-9)");
        assertEquals(0.3, north.projectedLoadFactor(), 1e-9, "3 ÷ 10 (tolerance 1e-9)");
        assertEquals(0.2, south.projectedLoadFactor(), 1e-9, "1 ÷ 5 (tolerance 1e-9)");
    }

    @Test
    void gatesWithNoRecentTrafficShareByCapacity() {
        List<GateRecentLoad> idle = List.of(new GateRecentLoad("north", 6, 0), new GateRecentLoad("south", 2, 0));
        ForecastInput in = new ForecastInput(EVENT, 1000, 0, ArrivalCurve.none(), idle, ForecastSettings.defaults());

        List<GateShare> load = Forecaster.forecast(in, EVENT.doorsOpen()).gateLoad();

        assertEquals(0.75, load.get(0).shareOfRemaining(), 1e-9, "6 of 8 capacity (tolerance 1e-9)");
        assertEquals(0.25, load.get(1).shareOfRemaining(), 1e-9, "2 of 8 capacity (tolerance 1e-9)");
    }

    @Test
    void afterTheEndTheCompletionIsWhenTheCurveCrossedNinetyFivePercent() {
        ForecastInput in = new ForecastInput(EVENT, 1000, 612, ArrivalCurve.perMinute(flat(306, 2)), ROOMY_GATES,
                ForecastSettings.defaults());

        Forecast f = Forecaster.forecast(in, EVENT.end().plus(Duration.ofMinutes(10)));

        assertEquals(612, f.expectedFinalAttendance().expected(), "final = attended once arrivals are over (tolerance 0)");
        assertEquals(0, f.expectedFinalAttendance().remaining());
        Completion c = f.completion().orElseThrow();
        assertTrue(c.reached());
        // 95 % of 612 = 581.4: 580 by minute 290, then 2 a minute: 0.7 of minute 290
        assertEquals(minutesAfterDoors(EVENT, 290).plusSeconds(42), c.at(), "tolerance 0 s");
    }

    @Test
    void nothingRemainsWhenEveryActiveParticipantIsIn() {
        ForecastInput in = new ForecastInput(EVENT, 500, 500, ArrivalCurve.perMinute(flat(100, 5)), ROOMY_GATES,
                ForecastSettings.defaults());

        Forecast f = Forecaster.forecast(in, minutesAfterDoors(EVENT, 100));

        assertEquals(500, f.expectedFinalAttendance().expected(), "tolerance 0");
        assertEquals(500, f.expectedFinalAttendance().high(), "nobody else can come (tolerance 0)");
        assertEquals(0, f.expectedFinalAttendance().remaining());
        assertEquals(minutesAfterDoors(EVENT, 95), f.completion().orElseThrow().at(), "475 in by minute 95 (tolerance 0 s)");
    }

    @Test
    void noActiveGatesMeansNoGateLoadAndNoCompletionTime() {
        ForecastInput in = new ForecastInput(EVENT, 1000, 450, ArrivalCurve.perMinute(flat(225, 2)), List.of(),
                ForecastSettings.defaults());

        Forecast f = Forecaster.forecast(in, minutesAfterDoors(EVENT, 225));

        assertTrue(f.gateLoad().isEmpty());
        assertFalse(f.completion().isPresent(), "nobody can enter without a gate");
        assertTrue(f.expectedFinalAttendance().remaining() > 0, "yet people are still expected");
    }

    @Test
    void sameInputAndTimeGiveTheSameForecast() {
        ForecastInput in = new ForecastInput(EVENT, 1000, 450, ArrivalCurve.perMinute(flat(225, 2)), ROOMY_GATES,
                ForecastSettings.defaults());
        Instant now = minutesAfterDoors(EVENT, 225);

        assertEquals(Forecaster.forecast(in, now), Forecaster.forecast(in, now));
    }

    @Test
    void theMapSerialisesToJson() throws Exception {
        ForecastInput in = new ForecastInput(EVENT, 1000, 450, ArrivalCurve.perMinute(flat(225, 2)), ROOMY_GATES,
                ForecastSettings.defaults().withPriorShowUpRate(0.6));

        Map<String, Object> map = Forecaster.forecast(in, minutesAfterDoors(EVENT, 225)).toMap();
        Map<String, Object> back = JSON.std.mapFrom(JSON.std.asString(map));

        assertEquals(map.keySet(), back.keySet());
        assertEquals("2026-06-01T12:45:00Z", back.get("computedAt"));
        @SuppressWarnings("unchecked")
        Map<String, Object> attendance = (Map<String, Object>) back.get("expectedFinalAttendance");
        assertEquals(600, attendance.get("expected"));
        @SuppressWarnings("unchecked")
        Map<String, Object> completion = (Map<String, Object>) back.get("completion");
        assertEquals("arrival_rate", completion.get("limitedBy"));
    }
}
