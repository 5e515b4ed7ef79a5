package com.headcount.core.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.headcount.core.alerts.Alert;
import com.headcount.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AlertDeliveryTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final Circuit.Settings CIRCUIT = new Circuit.Settings(2, Duration.ofMinutes(1), Duration.ofMinutes(4));

    final MutableClock clock = new MutableClock(T0);
    final List<DeliveryFailure> failures = new CopyOnWriteArrayList<>();

    static final class Target implements AlertTarget {
        final String name;
        volatile boolean up;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Target(String name, boolean up) {
            this.name = name;
            this.up = up;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Attempt deliver(Alert alert, String deliveryId) {
            calls.add(alert.id() + "/" + deliveryId);
            if (!up) throw new IllegalStateException("connection refused");
            return Attempt.delivered(1);
        }
    }

    static List<Alert> alerts(int from, int n) {
        List<Alert> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new Alert(Alert.idOf("e", Alert.GATE_OVERLOAD, "g" + i, 1), Alert.GATE_OVERLOAD, "e", "g" + i, 1,
                    T0, 0.9, 0.8, "m"));
        }
        return out;
    }

    @Test
    void aDeadTargetOpensItsCircuitAndNeverHoldsTheOthersBack() {
        var dead = new Target("webhook:0:dead", false);
        var healthy = new Target("webhook:1:ok", true);
        var delivery = new AlertDelivery(List.of(dead, healthy), failures::add, CIRCUIT, clock);

        var results = delivery.deliver(alerts(0, 5));

        assertEquals(5, healthy.calls.size(), "every alert to the healthy target");
        assertEquals(2, dead.calls.size(), "the dead one only until its circuit opened");
        assertEquals(new AlertDelivery.TargetResult("webhook:0:dead", 0, 5, 3), results.get(0));
        assertEquals(new AlertDelivery.TargetResult("webhook:1:ok", 5, 0, 0), results.get(1));
        assertEquals(5, failures.size(), "each undelivered alert recorded");
        assertEquals(3, failures.stream().filter(f -> f.reason().equals(DeliveryFailure.CIRCUIT_OPEN)).count());
        assertEquals(List.of("IllegalStateException", "IllegalStateException"),
                failures.stream().filter(f -> f.tries() > 0).map(DeliveryFailure::reason).toList(), "the two tried");

        // still open a little later: nothing tried
        clock.advance(Duration.ofSeconds(30));
        delivery.deliver(alerts(5, 1));
        assertEquals(2, dead.calls.size());
        // after the cool-down one alert is tried; it fails, so the circuit opens for twice as long
        clock.advance(Duration.ofSeconds(31));
        delivery.deliver(alerts(6, 2));
        assertEquals(3, dead.calls.size(), "one try after the cool-down, then open again");
        clock.advance(Duration.ofSeconds(61));
        delivery.deliver(alerts(8, 1));
        assertEquals(3, dead.calls.size(), "the second cool-down is two minutes");
        // back up: the next try after the cool-down closes it
        dead.up = true;
        clock.advance(Duration.ofSeconds(60));
        delivery.deliver(alerts(9, 3));
        assertEquals(6, dead.calls.size(), "closed again: every alert delivered");
    }

    @Test
    void theDeliveryIdIsTheSameForEveryRedeliveryOfAnAlertAndDiffersBetweenAlerts() {
        var target = new Target("eventbridge:bus", true);
        var delivery = new AlertDelivery(List.of(target), failures::add, CIRCUIT, clock);
        delivery.deliver(alerts(0, 2));
        delivery.deliver(alerts(0, 2)); // the mapping retrying the batch
        assertEquals(target.calls.get(0), target.calls.get(2));
        assertEquals(target.calls.get(1), target.calls.get(3));
        assertNotEquals(target.calls.get(0).split("/")[1], target.calls.get(1).split("/")[1]);
        assertEquals(alerts(0, 1).get(0).deliveryId(), target.calls.get(0).split("/")[1]);
    }

    @Test
    void aFailureThatCannotBeRecordedFailsTheBatchSoItIsDeliveredAgain() {
        var dead = new Target("webhook:0:dead", false);
        var delivery = new AlertDelivery(List.of(dead), f -> {
            throw new IllegalStateException("table unavailable");
        }, CIRCUIT, clock);
        assertThrows(IllegalStateException.class, () -> delivery.deliver(alerts(0, 1)));
    }
}
