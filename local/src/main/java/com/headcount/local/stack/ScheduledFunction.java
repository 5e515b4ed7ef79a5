package com.headcount.local.stack;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.headcount.local.lambda.LocalContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A function on a fixed rate, as an EventBridge schedule runs it in AWS (the statistics clock: every minute). A tick
 * that fails is logged by the function and the next one comes anyway, as with the schedule.
 */
public final class ScheduledFunction implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final String name;

    private ScheduledFunction(String name, ScheduledExecutorService timer) {
        this.name = name;
        this.timer = timer;
    }

    public static ScheduledFunction every(Duration rate, String name,
                                          RequestHandler<Map<String, Object>, Map<String, Object>> function) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-schedule");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                function.handleRequest(Map.of(), new LocalContext(name, rate));
            } catch (RuntimeException e) {
                System.Logger log = System.getLogger(ScheduledFunction.class.getName());
                log.log(System.Logger.Level.WARNING, name + " tick failed: " + e);
            }
        }, rate.toMillis(), rate.toMillis(), TimeUnit.MILLISECONDS);
        return new ScheduledFunction(name, timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "schedule of " + name;
    }
}
