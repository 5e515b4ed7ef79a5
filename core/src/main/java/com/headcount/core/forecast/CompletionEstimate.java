package com.headcount.core.forecast;

import com.headcount.core.reference.AttendanceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When {@value #SHARE_PERCENT} % of the expected final attendance will be in (the stragglers of the last few per
 * cent would put every event's completion at its end): the remaining arrivals are fed, step by step, in their
 * projected shape into one queue served at the gates' total capacity, until attended + served reaches the target.
 * Already reached: when the arrival curve crossed it.
 */
final class CompletionEstimate {

    static final int SHARE_PERCENT = 95;
    static final double SHARE = SHARE_PERCENT / 100.0;
    /** At most this many steps, whatever the event's length (a minute each for events under ten hours). */
    static final int MAX_STEPS = 600;

    private CompletionEstimate() {
    }

    static Optional<Completion> of(ForecastInput in, ExpectedAttendance attendance, RemainingArrivals rest, Instant now) {
        double target = SHARE * attendance.expected();
        if (attendance.expected() == 0) {
            return Optional.empty();
        }
        if (in.attendedSoFar() >= target) {
            return Optional.of(new Completion(crossed(in, target, now), 0, Completion.LimitedBy.ARRIVAL_RATE, true));
        }
        double capacity = in.totalGateCapacityPerMinute();
        if (capacity <= 0) {
            return Optional.empty();
        }
        EventWindow event = in.event();
        Instant from = now.isBefore(event.doorsOpen()) ? event.doorsOpen() : now;
        Instant last = event.end().plus(AttendanceEvent.SCAN_MARGIN);
        Duration step = Duration.ofMinutes(1);
        Duration whole = Duration.between(from, last);
        if (whole.dividedBy(step) > MAX_STEPS) step = whole.dividedBy(MAX_STEPS);
        double stepMinutes = step.toMillis() / 60_000.0;
        double queue = 0, in_ = in.attendedSoFar();
        boolean queued = false;
        for (Instant t = from; t.isBefore(last); t = t.plus(step)) {
            queue += rest.expectedBetween(t, t.plus(step));
            double served = Math.min(capacity * stepMinutes, queue);
            queue -= served;
            if (queue > 1e-9) queued = true;
            if (in_ + served >= target) {
                double part = served <= 0 ? 0 : (target - in_) / served;
                Instant at = t.plusMillis(Math.round(part * step.toMillis()));
                double minutes = RemainingArrivals.minutes(from, at);
                return Optional.of(new Completion(at, minutes <= 0 ? 0 : (target - in.attendedSoFar()) / minutes,
                        queued ? Completion.LimitedBy.GATE_CAPACITY : Completion.LimitedBy.ARRIVAL_RATE, false));
            }
            in_ += served;
        }
        return Optional.empty();
    }

    /** When the arrival curve reached the target. */
    private static Instant crossed(ForecastInput in, double target, Instant now) {
        ArrivalCurve curve = in.arrivals();
        double seen = 0;
        for (int i = 0; i < curve.counts().size(); i++) {
            double here = curve.counts().get(i);
            if (seen + here >= target && here > 0) {
                Instant start = curve.bucketStart(in.event().doorsOpen(), i);
                Instant at = start.plusMillis(Math.round((target - seen) / here * curve.bucket().toMillis()));
                return at.isAfter(now) ? now : at;
            }
            seen += here;
        }
        return now;
    }
}
