package com.headcount.core.scan;

import java.util.regex.Pattern;

/**
 * What an id (scan, event, participant, gate, import) may look like, wherever it comes from: ids become parts of
 * keys and MQTT topics, so no separators, wildcards or control characters.
 */
public final class IdRule {

    /** The stable wording of the problem, after the field's name. */
    public static final String EXPECTED = "expected 1 to 128 letters, digits or . _ : @ - (starting with a letter or digit)";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private IdRule() {}

    public static boolean valid(String s) {
        return s != null && ID.matcher(s).matches();
    }
}
