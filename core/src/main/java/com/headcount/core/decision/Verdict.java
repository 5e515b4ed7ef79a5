package com.headcount.core.decision;

/** The three things that can happen to a scan. */
public enum Verdict {
    ACCEPTED("accepted"),
    DUPLICATE("duplicate"),
    REJECTED("rejected");

    private final String wireName;

    Verdict(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Verdict fromWire(String name) {
        for (Verdict v : values()) {
            if (v.wireName.equals(name)) return v;
        }
        throw new IllegalArgumentException("unknown verdict " + name);
    }
}
