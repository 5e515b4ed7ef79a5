package com.headcount.core.decision;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a gate that decided on its own (issue 18: from its allow-list) showed for a scan, as it sent it with the scan
 * in {@code "provisional": {"verdict", "reason", "allowListVersion"}}. The cloud still decides every scan, and its
 * decision is final; this is kept beside it so a disagreement is seen, counted and told back to the gate.
 *
 * <p>A provisional the cloud cannot read is never a reason to refuse the scan: the scan is decided as if it came
 * without one, and the provisional is kept as {@link #IGNORED_MALFORMED} with what was wrong. The organiser then sees
 * that this gate sends provisionals the cloud cannot read (a firmware fault, not a person let in wrongly), and the gate
 * is told to show the cloud's decision as a correction, since nobody can confirm it showed the same.
 *
 * @param verdict          what the gate showed; null when the provisional could not be read
 * @param reason           the gate's reject reason, set exactly when {@code verdict} is rejected
 * @param allowListVersion the version of the allow-list the gate decided with
 * @param problem          set exactly when the provisional could not be read: "provisional.{member}: {what is wrong}"
 */
public record Provisional(Verdict verdict, RejectReason reason, Long allowListVersion, String problem) {

    /** The stable code of a provisional that was sent but could not be read, and so was ignored. */
    public static final String IGNORED_MALFORMED = "provisional_malformed";

    public Provisional {
        if ((verdict == null) == (problem == null)) {
            throw new IllegalArgumentException("a provisional is either read (a verdict) or malformed (a problem)");
        }
        if (verdict != null && (verdict == Verdict.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a reason goes with rejections and only with them");
        }
    }

    public static Provisional of(Verdict verdict, RejectReason reason, long allowListVersion) {
        return new Provisional(verdict, reason, allowListVersion, null);
    }

    public static Provisional malformed(String problem) {
        return new Provisional(null, null, null, problem);
    }

    public boolean readable() {
        return verdict != null;
    }

    /**
     * Reads the {@code provisional} member of a scan message. Unknown members are ignored, as in the scan itself, so
     * that newer gates keep working; each known member is checked for its type and value.
     *
     * @return null when the message has no provisional (older gates, a gate without an allow-list)
     */
    public static Provisional parse(Object raw) {
        if (raw == null) return null;
        if (!(raw instanceof Map<?, ?> m)) return malformed("provisional: expected an object");
        if (!(m.get("verdict") instanceof String v)) {
            return malformed("provisional.verdict: " + (m.get("verdict") == null ? "missing" : "expected text"));
        }
        Verdict verdict;
        try {
            verdict = Verdict.fromWire(v);
        } catch (IllegalArgumentException e) {
            return malformed("provisional.verdict: expected accepted, duplicate or rejected");
        }
        RejectReason reason = null;
        Object rawReason = m.get("reason");
        if (verdict == Verdict.REJECTED) {
            if (!(rawReason instanceof String code)) {
                return malformed("provisional.reason: " + (rawReason == null ? "missing (a rejection names its reason)"
                        : "expected a reject reason code"));
            }
            try {
                reason = RejectReason.fromCode(code);
            } catch (IllegalArgumentException e) {
                return malformed("provisional.reason: not a reject reason code");
            }
        } else if (rawReason != null) {
            return malformed("provisional.reason: only a rejection has one");
        }
        Object rawVersion = m.get("allowListVersion");
        if (!(rawVersion instanceof Integer || rawVersion instanceof Long
                || (rawVersion instanceof BigInteger b && b.bitLength() < 64))) {
            return malformed("provisional.allowListVersion: " + (rawVersion == null ? "missing" : "expected a whole number"));
        }
        long version = ((Number) rawVersion).longValue();
        if (version < 0) return malformed("provisional.allowListVersion: expected a whole number from 0");
        return of(verdict, reason, version);
    }

    /**
     * Whether the gate should show the cloud's final decision as a correction: it showed another verdict, or another
     * reason for a rejection (another message on its screen), or what it showed cannot be known.
     */
    public boolean correctedBy(Outcome cloud) {
        return !readable() || verdict != cloud.verdict() || reason != cloud.reason();
    }

    /** The JSON form, in every message and item that carries an outcome. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (readable()) {
            m.put("verdict", verdict.wireName());
            if (reason != null) m.put("reason", reason.code());
            m.put("allowListVersion", allowListVersion);
        } else {
            m.put("ignored", IGNORED_MALFORMED);
            m.put("problem", problem);
        }
        return m;
    }

    /** Reads what {@link #toMap} wrote. */
    public static Provisional fromMap(Map<?, ?> m) {
        if (m == null) return null;
        if (m.get("problem") instanceof String problem) return malformed(problem);
        Verdict verdict = Verdict.fromWire((String) m.get("verdict"));
        RejectReason reason = m.get("reason") == null ? null : RejectReason.fromCode((String) m.get("reason"));
        return of(verdict, reason, ((Number) m.get("allowListVersion")).longValue());
    }
}
