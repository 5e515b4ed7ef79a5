package com.headcount.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/** The variables every function reads through {@code HeadcountSettings}: where the tables and streams are. */
final class Environment {

    private Environment() {}

    static Map<String, String> shared(Tables tables, Streams streams) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REFERENCE_TABLE", tables.reference().getTableName());
        env.put("SCANS_TABLE", tables.scans().getTableName());
        env.put("WINDOWS_TABLE", tables.dedupWindows().getTableName());
        env.put("STATISTICS_TABLE", tables.statistics().getTableName());
        env.put("ATTENDANCE_RECORDED_STREAM", streams.attendanceRecorded().getStreamName());
        env.put("STATISTICS_UPDATES_STREAM", streams.statisticsUpdates().getStreamName());
        return env;
    }
}
