package com.headcount.core.scan;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What the outcome store can hold. A value it refuses would fail the write on every retry and hold a stream up, so
 * the parsers refuse it first, as malformed input. The limits are DynamoDB's: numbers of at most 38 significant
 * digits with a magnitude from 1e-130 to below 1e126 (or zero), and text that is valid UTF-16 (no lone surrogate
 * halves, which have no UTF-8 form).
 */
public final class Storable {

    private static final BigDecimal SMALLEST = new BigDecimal("1e-130");
    private static final BigDecimal TOO_LARGE = new BigDecimal("1e126");
    private static final int MAX_DIGITS = 38;

    private Storable() {}

    public static boolean number(Object value) {
        BigDecimal d = switch (value) {
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case Short s -> BigDecimal.valueOf(s);
            case BigInteger b -> new BigDecimal(b);
            case BigDecimal b -> b;
            // Double.toString is the shortest text that reads back as the same double: what gets stored
            case Double x -> Double.isFinite(x) ? BigDecimal.valueOf(x) : null;
            case Float f -> Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
            default -> null;
        };
        if (d == null) return false;
        if (d.signum() == 0) return true;
        BigDecimal magnitude = d.abs();
        return magnitude.compareTo(SMALLEST) >= 0 && magnitude.compareTo(TOO_LARGE) < 0
                && d.stripTrailingZeros().precision() <= MAX_DIGITS;
    }

    /** Text with no lone half of a surrogate pair. */
    public static boolean text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
