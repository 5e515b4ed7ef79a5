package com.headcount.core.api;

import com.headcount.core.scan.IdRule;

/** The id rule of scans ({@link IdRule}) applied to path parameters and set-up bodies, answered as problems. */
public final class Ids {

    private Ids() {}

    public static boolean valid(String s) {
        return IdRule.valid(s);
    }

    public static String require(String name, String value) {
        if (!valid(value)) {
            throw Problem.invalidParameter(name + ": " + IdRule.EXPECTED).failure();
        }
        return value;
    }
}
