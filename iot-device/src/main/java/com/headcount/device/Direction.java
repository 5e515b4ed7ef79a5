package com.headcount.device;

/** Whether the participant came in or went out through the gate. */
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

    public static Direction fromWireName(String name) {
        for (Direction direction : values()) {
            if (direction.wireName.equals(name)) {
                return direction;
            }
        }
        throw new IllegalArgumentException("unknown direction: " + name);
    }
}
