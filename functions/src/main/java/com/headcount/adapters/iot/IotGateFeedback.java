package com.headcount.adapters.iot;

import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;

/**
 * Publishes decisions through the IoT data plane (one HTTPS Publish per message: the API has no batch form), a few
 * at a time on virtual threads so a 1 000-scan batch does not wait for 1 000 round trips in a row. Messages whose
 * gate id is unknown (malformed scans) have no topic and are skipped. Every topic is of this function's stage: a
 * gate of another stage with the same event and gate ids hears nothing from it.
 */
public final class IotGateFeedback implements GateFeedback {

    private static final System.Logger LOG = System.getLogger(IotGateFeedback.class.getName());
    private static final int IN_FLIGHT = 16;

    private final IotDataPlaneClient iot;
    private final String stage;
    private final Duration deadline;

    public IotGateFeedback(IotDataPlaneClient iot, String stage, Duration deadline) {
        this.iot = iot;
        this.stage = java.util.Objects.requireNonNull(stage, "stage");
        this.deadline = deadline;
    }

    @Override
    public void tell(List<Outcome> outcomes) {
        List<Outcome> addressable = outcomes.stream().filter(o -> o.eventId() != null && o.gateId() != null).toList();
        if (addressable.isEmpty()) return;
        AtomicInteger failed = new AtomicInteger();
        var permits = new java.util.concurrent.Semaphore(IN_FLIGHT);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Outcome o : addressable) {
                pool.submit(() -> {
                    permits.acquire();
                    try {
                        iot.publish(b -> b.topic(GateFeedback.decisionsTopic(stage, o.eventId(), o.gateId())).qos(1)
                                .payload(SdkBytes.fromByteArrayUnsafe(OutcomeJson.toBytes(o))));
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failed.get() > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} of {1} decisions could not be told to their gates",
                    failed.get(), addressable.size());
        }
    }
}
