package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.scan.IdRule;
import java.util.Map;

/**
 * AllowListFunction: a gate's request for its allow-list, from the topic rule on {@code .../allowlist/get}
 * ({@link com.headcount.core.allowlist.AllowListTopics#ruleSql}: the event and gate from the topic, the version the
 * gate holds from the body), answered on the gate's {@code allowlist} topic. A request that is not one (ids the topic
 * could not carry, a version that is not a number) is dropped: the rule invokes asynchronously, and an error would
 * only be retried.
 */
public final class AllowListFunction implements RequestHandler<Map<String, Object>, Void> {

    private final AllowLists allowLists;

    /** Lambda's constructor. */
    public AllowListFunction() {
        this(Functions.allowList(Settings.fromEnvironment()));
    }

    public AllowListFunction(AllowLists allowLists) {
        this.allowLists = allowLists;
    }

    @Override
    public Void handleRequest(Map<String, Object> request, Context context) {
        Object eventId = request.get("eventId");
        Object gateId = request.get("gateId");
        Object have = request.get("haveVersion");
        if (!(eventId instanceof String e) || !IdRule.valid(e) || !(gateId instanceof String g) || !IdRule.valid(g)
                || (have != null && !(have instanceof Number))) {
            log(context, "{\"msg\":\"allow-list request dropped\",\"reason\":\"malformed\"}");
            return null;
        }
        allowLists.answer(e, g, have == null ? null : ((Number) have).longValue());
        return null;
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) context.getLogger().log(line);
        else System.err.println(line);
    }
}
