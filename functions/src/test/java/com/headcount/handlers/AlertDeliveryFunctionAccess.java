package com.headcount.handlers;

import com.headcount.core.delivery.AlertTarget;
import java.util.List;
import java.util.Map;

/** Opens the function's package-private webhook wiring to the adapters' tests. */
public final class AlertDeliveryFunctionAccess {

    private AlertDeliveryFunctionAccess() {}

    public static List<AlertTarget> webhooks(Map<String, String> env) {
        return AlertDeliveryFunction.webhooks(env, () -> {
            throw new AssertionError("no Secrets Manager here");
        });
    }
}
