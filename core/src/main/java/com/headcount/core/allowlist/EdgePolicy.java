package com.headcount.core.allowlist;

import java.time.Duration;
import java.util.Objects;

/**
 * What a gate does with an allow-list it could not keep in sync: an event setting, carried in the allow-list so a gate
 * that has been offline since before a change still applies the organiser's latest word on it.
 *
 * @param maxAge    past this age (time since the gate last knew its list was current) the gate says its list is stale
 * @param whenStale whether a gate with a stale list still answers provisionally, or only queues the scans for the cloud
 */
public record EdgePolicy(Duration maxAge, WhenStale whenStale) {

    /** A venue's Wi-Fi drop is minutes to an hour; two hours keeps a gate deciding through one, not through a day. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(2);

    public enum WhenStale {
        /** Keep answering from the stale list (and show that it is stale): the queue moves, corrections may follow. */
        KEEP_DECIDING("keep_deciding"),
        /** Answer nothing on the gate: staff check by hand, every scan still goes to the cloud, which decides. */
        REFUSE("refuse");

        private final String wireName;

        WhenStale(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static WhenStale fromWire(String name) {
            for (WhenStale w : values()) {
                if (w.wireName.equals(name)) return w;
            }
            throw new IllegalArgumentException("unknown stale policy " + name + " (keep_deciding or refuse)");
        }
    }

    public EdgePolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(whenStale, "whenStale");
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
    }

    public static EdgePolicy defaults() {
        return new EdgePolicy(DEFAULT_MAX_AGE, WhenStale.KEEP_DECIDING);
    }

    public boolean stale(Duration age) {
        return age.compareTo(maxAge) > 0;
    }
}
