package com.headcount.core.forecast;

import java.time.Instant;

/**
 * When the participants still expected will all have entered.
 *
 * @param ratePerMinute the entry rate assumed: the lower of gate capacity and arrival rate
 * @param limitedBy     which of the two set it
 */
public record Completion(Instant at, double ratePerMinute, LimitedBy limitedBy) {

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
