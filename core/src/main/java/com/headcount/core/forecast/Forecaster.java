package com.headcount.core.forecast;

import com.headcount.core.reference.ArrivalProfile;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Computes an event's forecasts. A pure function: the same input and {@code now} give the same forecast. */
public final class Forecaster {

    private Forecaster() {
    }

    public static Forecast forecast(ForecastInput in, Instant now) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(now, "now");
        EventWindow event = in.event();
        ArrivalProfile profile = in.settings().profile();

        double shareArrived;
        RemainingArrivals.Shape shape;
        if (profile.isObserved()) {
            ObservedTrend trend = ObservedTrend.of(in, now);
            shareArrived = trend.shareArrived(in.attendedSoFar());
            shape = trend;
        } else {
            shareArrived = RemainingArrivals.shareBy(event, profile, now);
            shape = RemainingArrivals.ofProfile(event, profile, now);
        }
        ExpectedAttendance attendance = AttendanceEstimate.of(in, shareArrived);
        RemainingArrivals rest = new RemainingArrivals(event, now, attendance.remaining(), shape);
        List<HourlyArrivals> hourly = HourlyProjection.of(in, rest, now);
        return new Forecast(
                now,
                attendance,
                hourly,
                HourlyProjection.peak(hourly),
                GateLoadProjection.of(in, rest, now),
                CompletionEstimate.of(in, attendance, rest, now));
    }
}
