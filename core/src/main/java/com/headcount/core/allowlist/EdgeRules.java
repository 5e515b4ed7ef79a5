package com.headcount.core.allowlist;

import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.ScanRules;
import com.headcount.core.decision.Verdict;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A gate's provisional decision of its own scan, by the cloud's rules from the cloud's code: {@link ScanRules} (rules
 * 2 to 5) against the {@link AllowList}, then the five-minute window ({@link WindowRule#collide}) against the scans this
 * gate accepted. For a gate's own scans the cloud decides the same, unless the list changed since the gate's last sync,
 * another client (a staff phone over HTTP) scanned the same participant at the same gate and direction, or the gate's
 * clock is more than the event's tolerance ahead (the cloud measures skew against its arrival time, the gate cannot).
 */
public final class EdgeRules {

    /** The scans this gate accepted, per participant and direction (the gate is always this gate). */
    @FunctionalInterface
    public interface AcceptedHere {
        /** An accepted scan of this participant and direction within the window of {@code scan}, if any. */
        Optional<FirstScan> collidingWith(Scan scan);
    }

    public record FirstScan(String scanId, Instant scannedAt) {}

    /**
     * The gate's answer, and what travels with the scan as {@code provisional} (docs/asyncapi.yaml).
     *
     * @param firstScan for a duplicate, the scan this gate accepted first (shown on the gate, not sent)
     */
    public record Provisional(Verdict verdict, RejectReason reason, FirstScan firstScan, long allowListVersion) {

        public Provisional {
            Objects.requireNonNull(verdict, "verdict");
            if ((verdict == Verdict.REJECTED) != (reason != null)) {
                throw new IllegalArgumentException("a reason goes with rejections and only with them");
            }
        }

        /** The scan message's {@code provisional} object: verdict, the reason only when rejected, the list's version. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verdict", verdict.wireName());
            if (reason != null) m.put("reason", reason.code());
            m.put("allowListVersion", allowListVersion);
            return m;
        }
    }

    private EdgeRules() {}

    /** @param receivedAt the gate's clock when the scan reached it */
    public static Provisional decide(Scan scan, AllowList list, Instant receivedAt, AcceptedHere accepted) {
        var rejection = ScanRules.check(scan, list.lookup(ScanRules.keysFor(scan)), receivedAt);
        if (rejection.isPresent()) {
            return new Provisional(Verdict.REJECTED, rejection.get().reason(), null, list.version());
        }
        Optional<FirstScan> first = accepted.collidingWith(scan);
        return first.map(f -> new Provisional(Verdict.DUPLICATE, null, f, list.version()))
                .orElseGet(() -> new Provisional(Verdict.ACCEPTED, null, null, list.version()));
    }
}
