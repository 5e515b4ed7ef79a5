package com.headcount.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options with defaults; an unknown name or a missing value is an IllegalArgumentException. */
public final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** @param defaults every option the benchmark knows, with its default (null: no default) */
    public static Options parse(List<String> args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        Set<String> known = defaults.keySet();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name.substring(2), args.get(++i));
        }
        return new Options(values);
    }

    public String text(String name) {
        return values.get(name);
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(values.get(name).trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not " + values.get(name));
        }
    }
}
