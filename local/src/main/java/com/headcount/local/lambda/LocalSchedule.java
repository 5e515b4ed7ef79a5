package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What an EventBridge schedule does for a function: invokes it at a fixed rate with a scheduled event, one
 * invocation at a time. A failed run is logged with the function's error, like Lambda's errors metric, and the
 * schedule goes on.
 */
public final class LocalSchedule implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalSchedule.class.getName());

    private final ScheduledExecutorService timer;

    private LocalSchedule(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static LocalSchedule every(Duration rate, String functionName, RequestHandler<Map<String, Object>, ?> handler) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("schedule-" + functionName).daemon().factory());
        timer.scheduleAtFixedRate(() -> {
            Map<String, Object> event = Map.of("source", "aws.events", "detail-type", "Scheduled Event",
                    "time", Instant.now().toString());
            try {
                handler.handleRequest(event, new LocalContext(functionName, rate));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, functionName + " failed on its schedule: " + e.getMessage());
            }
        }, rate.toMillis(), rate.toMillis(), TimeUnit.MILLISECONDS);
        return new LocalSchedule(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
