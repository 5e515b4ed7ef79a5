package com.headcount.handlers;

import static com.headcount.adapters.aws.HeadcountSettings.value;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.core.delivery.Circuit;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The alert delivery function's settings (part of {@link Settings}; the webhook targets are read from the same
 * environment, {@link Settings#environment}).
 *
 * @param eventBusName        EventBridge bus for alerts; null to send none
 * @param eventBridgeEndpoint endpoint override (tests); null in AWS
 */
public record DeliverySettings(HeadcountSettings shared, String eventBusName, URI eventBridgeEndpoint,
                               Circuit.Settings circuit) {

    public static DeliverySettings from(Map<String, String> values) {
        return from(values::get);
    }

    static DeliverySettings from(Function<String, String> env) {
        String endpoint = value(env, "EVENTBRIDGE_ENDPOINT", null);
        Circuit.Settings d = Circuit.Settings.DEFAULT;
        return new DeliverySettings(
                HeadcountSettings.from(env),
                value(env, "ALERTS_EVENT_BUS", null),
                endpoint == null ? null : URI.create(endpoint),
                new Circuit.Settings(
                        Integer.parseInt(value(env, "DELIVERY_CIRCUIT_FAILURES", Integer.toString(d.threshold()))),
                        Duration.parse(value(env, "DELIVERY_CIRCUIT_COOL_DOWN", d.coolDown().toString())),
                        Duration.parse(value(env, "DELIVERY_CIRCUIT_MAX_COOL_DOWN", d.maxCoolDown().toString()))));
    }
}
