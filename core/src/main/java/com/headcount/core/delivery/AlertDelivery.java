package com.headcount.core.delivery;

import com.headcount.core.alerts.Alert;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Delivers raised alerts to the integrations, apart from counting (it reads `alert.raised` from
 * `statistics-updates`). Each target is served on its own thread, alerts in order, behind its own {@link Circuit}:
 * a webhook that hangs costs its own timeouts and then nothing, and never delays another target. An alert a target
 * did not take is recorded ({@link DeliveryFailures}); delivery is at least once, with a stable delivery id.
 */
public final class AlertDelivery {

    private final List<AlertTarget> targets;
    private final Map<String, Circuit> circuits = new LinkedHashMap<>();
    private final DeliveryFailures failures;
    private final Clock clock;

    public AlertDelivery(List<AlertTarget> targets, DeliveryFailures failures, Circuit.Settings circuit, Clock clock) {
        this.targets = List.copyOf(targets);
        this.failures = failures;
        this.clock = clock;
        for (AlertTarget t : this.targets) circuits.put(t.name(), new Circuit(circuit));
    }

    /** Per target: alerts delivered, and failures recorded (of which skipped because the circuit was open). */
    public record TargetResult(String target, int delivered, int failed, int skippedOpen) {}

    /** Throws only when a failure could not be recorded: the batch is then delivered again, with the same ids. */
    public List<TargetResult> deliver(List<Alert> alerts) {
        if (alerts.isEmpty() || targets.isEmpty()) return List.of();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TargetResult>> running = new ArrayList<>();
            for (AlertTarget target : targets) running.add(executor.submit(() -> serve(target, alerts)));
            List<TargetResult> results = new ArrayList<>();
            for (Future<TargetResult> f : running) results.add(f.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering alerts", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private TargetResult serve(AlertTarget target, List<Alert> alerts) {
        Circuit circuit = circuits.get(target.name());
        int delivered = 0, failed = 0, skipped = 0;
        for (Alert alert : alerts) {
            if (!target.wants(alert)) continue;
            String deliveryId = alert.deliveryId();
            if (!circuit.allows(clock.instant())) {
                failures.record(new DeliveryFailure(alert, target.name(), deliveryId, 0, DeliveryFailure.CIRCUIT_OPEN,
                        clock.instant()));
                failed++;
                skipped++;
                continue;
            }
            AlertTarget.Attempt attempt;
            try {
                attempt = target.deliver(alert, deliveryId);
            } catch (RuntimeException e) {
                attempt = AlertTarget.Attempt.failed(1, e.getClass().getSimpleName());
            }
            if (attempt.delivered()) {
                circuit.succeeded();
                delivered++;
            } else {
                circuit.failed(clock.instant());
                failures.record(new DeliveryFailure(alert, target.name(), deliveryId, attempt.tries(), attempt.reason(),
                        clock.instant()));
                failed++;
            }
        }
        return new TargetResult(target.name(), delivered, failed, skipped);
    }
}
