package com.headcount.core.forecast;

import java.time.Instant;

/**
 * When 95 % of the expected final attendance will be (or was) in.
 *
 * @param ratePerMinute the average entry rate assumed from now to then (0 once reached)
 * @param limitedBy     whether gate capacity held the projected arrivals back (a queue formed) or not
 * @param reached       already reached: {@code at} is when the arrivals crossed it
 */
public record Completion(Instant at, double ratePerMinute, LimitedBy limitedBy, boolean reached) {

    public enum LimitedBy {
        GATE_CAPACITY("gate_capacity"),
        ARRIVAL_RATE("arrival_rate");

        private final String wireName;

        LimitedBy(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
