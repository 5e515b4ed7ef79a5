package com.headcount.core.decision;

import java.util.Optional;

/**
 * A gate's provisional verdict and the cloud's final one on different sides of the door: counted per gate and kind by
 * the statistics, shown on the dashboard and alerted on ({@code edge_mismatch}). A rejection for another reason than
 * the gate's, or a duplicate the gate called a rejection, kept the same person out: the gate shows a correction
 * ({@link Provisional#correctedBy}), but nobody was let in or kept out wrongly, so it is not counted.
 */
public enum EdgeMismatch {
    /** The gate refused (duplicate or rejected) what the cloud accepted: someone was kept waiting or sent away. */
    CLOUD_ACCEPTED_GATE_REFUSED("cloud_accepted_gate_refused"),
    /** The gate let in what the cloud refused: someone went in who should not have. */
    CLOUD_REFUSED_GATE_ACCEPTED("cloud_refused_gate_accepted");

    private final String code;

    EdgeMismatch(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static EdgeMismatch fromCode(String code) {
        for (EdgeMismatch k : values()) if (k.code.equals(code)) return k;
        throw new IllegalArgumentException("unknown edge mismatch " + code);
    }

    /** The kind of disagreement between a readable provisional and the cloud's verdict, if they disagree so. */
    public static Optional<EdgeMismatch> of(Provisional gate, Verdict cloud) {
        if (gate == null || !gate.readable()) return Optional.empty();
        boolean gateLetIn = gate.verdict() == Verdict.ACCEPTED;
        boolean cloudLetIn = cloud == Verdict.ACCEPTED;
        if (gateLetIn == cloudLetIn) return Optional.empty();
        return Optional.of(cloudLetIn ? CLOUD_ACCEPTED_GATE_REFUSED : CLOUD_REFUSED_GATE_ACCEPTED);
    }
}
