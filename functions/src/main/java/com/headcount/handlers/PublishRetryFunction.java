package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.headcount.core.decision.Republisher;
import java.util.Map;

/**
 * PublishRetryFunction: on a schedule (every minute), puts on `attendance-recorded` the accepted scans the HTTP API
 * stored and answered but could not publish at the time (see {@link Republisher}). A run that still finds the stream
 * refusing fails, so its errors metric and alarm say the statistics are behind.
 */
public final class PublishRetryFunction implements RequestHandler<Map<String, Object>, String> {

    private final Republisher republisher;

    /** Lambda's constructor. */
    public PublishRetryFunction() {
        this(Functions.publishRetry(Settings.fromEnvironment()));
    }

    public PublishRetryFunction(Republisher republisher) {
        this.republisher = republisher;
    }

    @Override
    public String handleRequest(Map<String, Object> scheduledEvent, Context context) {
        Republisher.Run run = republisher.run();
        String line = String.format("{\"msg\":\"publish retry\",\"published\":%d,\"stillWaiting\":%d}",
                run.published(), run.stillWaiting());
        if (context != null && context.getLogger() != null) context.getLogger().log(line);
        if (run.stillWaiting() > 0) {
            throw new IllegalStateException(run.stillWaiting() + " accepted scans are still waiting to be published");
        }
        return line;
    }
}
