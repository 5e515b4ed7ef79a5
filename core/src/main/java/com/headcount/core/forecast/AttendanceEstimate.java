package com.headcount.core.forecast;

/** Expected final attendance: a credibility blend of the prior show-up rate and the observed pace. */
final class AttendanceEstimate {

    /** Two-sided 95 % normal quantile, for the binomial band around the remaining arrivals. */
    private static final double Z95 = 1.96;

    private AttendanceEstimate() {
    }

    /** @param shareArrivedByNow S(now): share of all arrivals the profile expects to have happened by now */
    static ExpectedAttendance of(ForecastInput in, double shareArrivedByNow) {
        int attended = in.attendedSoFar();
        // Participants deactivated after entering still count, so the ceiling is never below what is observed.
        int ceiling = Math.max(in.activeParticipants(), attended);
        double s = shareArrivedByNow;
        double stillToCome = 1 - s;
        double prior = in.activeParticipants() * in.settings().priorShowUpRate();

        if (s <= 0) {
            int expected = clamp(Math.round(prior), attended, ceiling);
            return withBand(attended, ceiling, expected, prior, prior, stillToCome, 0);
        }
        double observedPace = attended / s;
        double w = s / (s + in.settings().priorWeight());
        double total = w * observedPace + (1 - w) * prior;
        int expected = clamp(Math.round(attended + stillToCome * total), attended, ceiling);
        return withBand(attended, ceiling, expected, prior, observedPace, stillToCome, w);
    }

    private static ExpectedAttendance withBand(int attended, int ceiling, int expected,
                                               double prior, double observedPace, double stillToCome, double w) {
        int remaining = expected - attended;
        // Range: the rest of the event following the prior alone or the observed pace alone, widened by the
        // binomial spread of how many of the participants not yet in will turn up.
        double byPrior = attended + stillToCome * prior;
        double byPace = attended + stillToCome * observedPace;
        int couldStillCome = ceiling - attended;
        double q = couldStillCome == 0 ? 0 : Math.min(1, (double) remaining / couldStillCome);
        double spread = Z95 * Math.sqrt(couldStillCome * q * (1 - q));
        int low = clamp((long) Math.floor(Math.min(byPrior, byPace) - spread), attended, expected);
        int high = clamp((long) Math.ceil(Math.max(byPrior, byPace) + spread), expected, ceiling);
        return new ExpectedAttendance(expected, low, high, remaining, w);
    }

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }
}
