package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.alerts.Alert;
import com.headcount.core.delivery.AlertDelivery;
import com.headcount.core.delivery.AlertTarget;
import com.headcount.core.delivery.Circuit;
import com.headcount.core.delivery.DeliveryFailure;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handler on the sample batch of `statistics-updates`: only the alerts go out, the rest is skipped. */
class AlertDeliveryFunctionTest {

    @Test
    void deliversTheAlertsOfTheBatchAndSkipsEverythingElse() throws IOException {
        List<String> delivered = new ArrayList<>();
        List<DeliveryFailure> failures = new ArrayList<>();
        AlertTarget target = new AlertTarget() {
            @Override
            public String name() {
                return "webhook:0:example.org";
            }

            @Override
            public Attempt deliver(Alert alert, String deliveryId) {
                delivered.add(alert.id() + " " + deliveryId);
                return Attempt.delivered(1);
            }
        };
        var function = new AlertDeliveryFunction(new AlertDelivery(List.of(target), failures::add,
                Circuit.Settings.DEFAULT, Clock.systemUTC()));
        List<String> log = new ArrayList<>();

        var response = function.handleRequest(StatsFunctionTest.kinesisEvent("lambda/alert-delivery-batch.json"),
                StatsFunctionTest.context(log));

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(List.of("demo-2026:gate_overload#north:2 " + deliveryId("demo-2026:gate_overload#north:2"),
                "demo-2026:low_attendance:1 " + deliveryId("demo-2026:low_attendance:1")), delivered);
        assertTrue(failures.isEmpty());
        assertTrue(log.get(0).contains("\"alerts\":2,\"skipped\":2"), log.get(0));
    }

    static String deliveryId(String alertId) {
        return new Alert(alertId, "t", "e", null, 1, java.time.Instant.EPOCH, 0, 0, "").deliveryId();
    }
}
