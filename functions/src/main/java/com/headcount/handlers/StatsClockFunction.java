package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.headcount.core.stats.StatsClock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StatsClockFunction: the statistics' clock, run every minute by an EventBridge schedule (a timer in the local stack).
 * The input is ignored: a tick is always "now". Every running event is evaluated even if another fails; a tick with a
 * failed event then fails as a whole, so it shows as an error (and the schedule's retry evaluates again: harmless,
 * every write is conditional).
 */
public final class StatsClockFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final StatsClock clock;

    /** Lambda's constructor. */
    public StatsClockFunction() {
        this(Functions.statsClock(Settings.fromEnvironment()));
    }

    public StatsClockFunction(StatsClock clock) {
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        StatsClock.TickResult r = clock.tick();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", r.running());
        out.put("written", r.written());
        out.put("alertsRaised", r.alertsRaised());
        out.put("published", r.published());
        out.put("failed", r.failed());
        context.getLogger().log(String.format("{\"msg\":\"stats tick\",\"running\":%d,\"written\":%d,\"alertsRaised\":%d,"
                + "\"published\":%d,\"failed\":%d}", r.running(), r.written(), r.alertsRaised(), r.published(),
                r.failed().size()));
        if (!r.failed().isEmpty()) {
            throw new IllegalStateException("statistics clock: " + r.failed().size() + " of " + r.running()
                    + " running events failed: " + r.failed());
        }
        return out;
    }
}
