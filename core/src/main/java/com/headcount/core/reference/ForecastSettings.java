package com.headcount.core.reference;

import java.util.Objects;

/**
 * Per-event assumptions of the forecast. They are part of the organiser's event, so they live with the reference data
 * rather than with the forecast that reads them: an event is read by every layer and must not depend on one of them.
 *
 * @param priorShowUpRate share of active participants expected to come, used before there is much to observe
 * @param priorWeight     how much the prior counts, as a share of the arrival profile: with 0.25 the prior and
 *                        the observed pace weigh the same once a quarter of the expected arrivals are due
 * @param profile         the reference shape of arrivals over the arrival span; by default read from the arrivals
 */
public record ForecastSettings(double priorShowUpRate, double priorWeight, ArrivalProfile profile) {

    public static final double DEFAULT_PRIOR_SHOW_UP_RATE = 0.85;
    public static final double DEFAULT_PRIOR_WEIGHT = 0.25;

    public ForecastSettings {
        if (!(priorShowUpRate >= 0 && priorShowUpRate <= 1)) {
            throw new IllegalArgumentException("prior show-up rate must be within 0..1");
        }
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new IllegalArgumentException("prior weight must be a finite number ≥ 0");
        }
        Objects.requireNonNull(profile, "profile");
    }

    public static ForecastSettings defaults() {
        return new ForecastSettings(DEFAULT_PRIOR_SHOW_UP_RATE, DEFAULT_PRIOR_WEIGHT, ArrivalProfile.observed());
    }

    public ForecastSettings withPriorShowUpRate(double rate) {
        return new ForecastSettings(rate, priorWeight, profile);
    }

    public ForecastSettings withProfile(ArrivalProfile p) {
        return new ForecastSettings(priorShowUpRate, priorWeight, p);
    }
}
