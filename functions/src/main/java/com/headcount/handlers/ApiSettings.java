package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import java.util.Map;
import java.util.function.Function;

/**
 * What the API function reads from its environment on top of the shared names.
 *
 * @param maxSyncImportBytes largest participant file imported within one request. Lambda takes at most 6 MB of
 *                           request payload synchronously; larger files go through the asynchronous flow.
 * @param importWriters      batch writes in flight at once during an import
 * @param ticketsTable       where the dashboards' connect tickets wait for their one use
 */
public record ApiSettings(HeadcountSettings shared, int maxSyncImportBytes, int importWriters, String ticketsTable) {

    public ApiSettings(HeadcountSettings shared, int maxSyncImportBytes, int importWriters) {
        this(shared, maxSyncImportBytes, importWriters, DashboardSettings.from(Map.of()).ticketsTable());
    }

    public static final int LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

    public static ApiSettings from(Map<String, String> values) {
        Function<String, String> env = values::get;
        return new ApiSettings(HeadcountSettings.from(env),
                Integer.parseInt(value(env, "MAX_SYNC_IMPORT_BYTES", Integer.toString(LAMBDA_SYNC_PAYLOAD_BYTES))),
                Integer.parseInt(value(env, "IMPORT_WRITERS", "4")), DashboardSettings.from(values).ticketsTable());
    }
}
