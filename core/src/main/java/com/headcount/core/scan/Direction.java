package com.headcount.core.scan;

import java.util.Optional;

/** Whether the participant came in or went out; scans without one are entries. */
public enum Direction {
    ENTRY("entry"),
    EXIT("exit");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Direction> fromWire(String name) {
        for (Direction d : values()) {
            if (d.wireName.equals(name)) return Optional.of(d);
        }
        return Optional.empty();
    }
}
