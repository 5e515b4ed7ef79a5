package com.headcount.device.edge;

import com.headcount.core.allowlist.EdgeRules;
import java.time.Duration;
import java.util.Optional;

/**
 * What the gate shows at once for a scan, before the cloud has decided (docs/architecture.md, "Deciding on the gate").
 *
 * @param provisional    the gate's decision, absent when it did not decide ({@link State#REFUSED_STALE},
 *                       {@link State#NO_ALLOW_LIST}): staff check by hand, the cloud still decides
 * @param allowListAge   how long the gate may have missed changes to its list; absent without a list
 */
public record GateAnswer(String scanId, String participantId, State state, Optional<EdgeRules.Provisional> provisional,
                         Optional<Duration> allowListAge) {

    public enum State {
        /** Decided from a list within the event's maximum age. */
        DECIDED,
        /** Decided from a list past the event's maximum age (the event says keep deciding): shown as such. */
        DECIDED_STALE,
        /** The list is past the event's maximum age and the event says refuse: no answer on the gate. */
        REFUSED_STALE,
        /** The gate has never had a list (first start, offline): no answer on the gate. */
        NO_ALLOW_LIST
    }

    public boolean stale() {
        return state == State.DECIDED_STALE || state == State.REFUSED_STALE;
    }

    /** One line for a gate's screen or log. */
    public String describe() {
        String age = allowListAge.map(a -> " (allow-list " + a.toSeconds() + " s old" + (stale() ? ", STALE" : "") + ")")
                .orElse("");
        return switch (state) {
            case DECIDED, DECIDED_STALE -> {
                var p = provisional.orElseThrow();
                yield scanId + " " + p.verdict().wireName() + (p.reason() == null ? "" : " (" + p.reason().code() + ")")
                        + " [provisional v" + p.allowListVersion() + "]" + age;
            }
            case REFUSED_STALE -> scanId + " not decided on the gate: allow-list too old, check by hand" + age;
            case NO_ALLOW_LIST -> scanId + " not decided on the gate: no allow-list yet, check by hand";
        };
    }
}
