package com.headcount.device;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;

/**
 * The backend's answer to one scan, as it arrives on the gate's decisions topic.
 *
 * @param outcome        accepted, duplicate or rejected
 * @param reason         why it was rejected (null otherwise)
 * @param firstScanId    for a duplicate, the scan that was accepted first (null otherwise)
 * @param firstScannedAt for a duplicate, when that first scan happened (null otherwise)
 */
public record Decision(String scanId, String outcome, String reason, String firstScanId, String firstScannedAt,
                       String decidedAt) {

    public static Decision fromJson(byte[] json) throws IOException {
        Map<String, Object> fields = JSON.std.mapFrom(json);
        return new Decision(text(fields, "scanId"), text(fields, "outcome"), text(fields, "reason"),
                text(fields, "firstScanId"), text(fields, "firstScannedAt"), text(fields, "decidedAt"));
    }

    public boolean accepted() {
        return "accepted".equals(outcome);
    }

    private static String text(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        return value == null ? null : value.toString();
    }
}
