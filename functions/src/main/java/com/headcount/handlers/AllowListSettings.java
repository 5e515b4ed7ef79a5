package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The allow-lists' settings, for the function that answers gates and for the API that rebuilds after a change.
 *
 * @param bucket      the bucket of the compressed lists; null where allow-lists are not deployed (nothing is built)
 * @param prefix      the key prefix, and the scope of the functions' S3 grants
 * @param urlValidity how long a URL handed to a gate works (5 minutes: a few hundred kilobytes on a poor network,
 *                    and a URL copied from a gate's log soon worthless)
 */
public record AllowListSettings(HeadcountSettings shared, String bucket, String prefix, Duration urlValidity) {

    public static AllowListSettings from(Map<String, String> values) {
        return from(values::get);
    }

    static AllowListSettings from(Function<String, String> env) {
        return new AllowListSettings(HeadcountSettings.from(env), value(env, "ALLOWLIST_BUCKET", null),
                value(env, "ALLOWLIST_PREFIX", "allowlists/"),
                Duration.parse(value(env, "ALLOWLIST_URL_VALIDITY", "PT5M")));
    }
}
