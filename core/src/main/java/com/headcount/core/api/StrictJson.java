package com.headcount.core.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.scan.Storable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads request bodies as JSON, refusing what a lenient reader would let through to the stores: duplicate members,
 * deep nesting, endless numbers, lone UTF-16 surrogates (DynamoDB cannot store them), members nobody asked for.
 */
public final class StrictJson {

    private static final JSON READER = JSON.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32).maxNumberLength(60).maxStringLength(1_000_000).build())
                    .build())
            .build()
            .with(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS);

    private StrictJson() {}

    public static Map<String, Object> object(byte[] body) {
        Object value = any(body);
        if (!(value instanceof Map<?, ?> map)) throw Problem.invalidBody("expected a JSON object").failure();
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return fields;
    }

    public static Object any(byte[] body) {
        if (body == null || body.length == 0) throw Problem.invalidBody("body: empty").failure();
        Object value;
        try {
            value = READER.anyFrom(body);
        } catch (IOException | RuntimeException e) {
            throw Problem.invalidBody("not valid JSON" + where(e)).failure();
        }
        if (value == null) throw Problem.invalidBody("body: null").failure();
        checkText(value, "");
        return value;
    }

    /** Refuses members outside {@code allowed}: a typo in an optional field must not pass silently. */
    public static void onlyKnown(Map<String, Object> fields, Set<String> allowed, String where) {
        for (String name : fields.keySet()) {
            if (!allowed.contains(name)) {
                throw Problem.invalidBody(where + printable(name) + ": unknown field").failure();
            }
        }
    }

    public static String optionalText(Map<String, Object> fields, String name, int maxChars) {
        Object v = fields.get(name);
        if (v == null) return null;
        if (!(v instanceof String s) || s.length() > maxChars || hasControl(s)) {
            throw Problem.invalidBody(name + ": expected text of at most " + maxChars + " characters").failure();
        }
        return s;
    }

    public static Boolean optionalBoolean(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (v == null) return null;
        if (!(v instanceof Boolean b)) throw Problem.invalidBody(name + ": expected true or false").failure();
        return b;
    }

    /** A whole number within [min, max]; 3.0 is accepted, 3.5, "3" and 1e400 are not. */
    public static Long optionalLong(Map<String, Object> fields, String name, long min, long max) {
        Object v = fields.get(name);
        if (v == null) return null;
        Long value = switch (v) {
            case Integer i -> (long) i;
            case Long l -> l;
            case BigInteger b -> b.bitLength() < 63 ? b.longValue() : null;
            case Double d -> Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15 ? d.longValue() : null;
            case BigDecimal d -> d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(1e15)) < 0
                    ? d.longValue() : null;
            default -> null;
        };
        if (value == null || value < min || value > max) {
            throw Problem.invalidBody(name + ": expected a whole number from " + min + " to " + max).failure();
        }
        return value;
    }

    public static Double optionalFraction(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (v == null) return null;
        double d = v instanceof Number n && !(v instanceof BigInteger b && b.bitLength() > 63) ? n.doubleValue() : Double.NaN;
        if (!Double.isFinite(d) || d < 0 || d > 1) {
            throw Problem.invalidBody(name + ": expected a number from 0 to 1").failure();
        }
        return d;
    }

    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isISOControl(s.charAt(i))) return true;
        return false;
    }

    /** Names are echoed in problems: keep them short and free of control characters. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString();
    }

    private static void checkText(Object value, String path) {
        switch (value) {
            case String s -> checkString(s, path);
            case Map<?, ?> map -> map.forEach((k, v) -> {
                checkString(String.valueOf(k), path + "(member name)");
                if (v != null) checkText(v, path + k + ".");
            });
            case List<?> list -> {
                for (Object item : list) if (item != null) checkText(item, path);
            }
            case Number number -> checkNumber(number, path);
            default -> { }
        }
    }

    private static void checkNumber(Number number, String path) {
        if (!Storable.number(number)) {
            throw Problem.invalidBody("number out of range" + (path.isEmpty() ? "" : " in " + printable(path))).failure();
        }
    }

    private static void checkString(String s, String path) {
        if (!Storable.text(s)) {
            throw Problem.invalidBody("text with an unpaired UTF-16 surrogate"
                    + (path.isEmpty() ? "" : " in " + printable(path))).failure();
        }
    }

    private static String where(Throwable e) {
        // Jackson's messages quote the input; only the position is safe to echo.
        String m = e.getMessage();
        if (m == null) return "";
        int at = m.indexOf("line: ");
        if (at < 0) return "";
        int end = m.indexOf(']', at);
        return " (" + m.substring(at, end < 0 ? m.length() : end) + ")";
    }
}
