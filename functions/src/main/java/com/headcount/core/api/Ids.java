package com.headcount.core.api;

import java.util.regex.Pattern;

/** The id rule of scans (ScanParser) applied to path parameters and set-up bodies, so every id can be a key part. */
public final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Ids() {}

    public static boolean valid(String s) {
        return s != null && ID.matcher(s).matches();
    }

    public static String require(String name, String value) {
        if (!valid(value)) {
            throw Problem.invalidParameter(name + ": expected 1 to 128 letters, digits or . _ : @ - "
                    + "(starting with a letter or digit)").failure();
        }
        return value;
    }
}
