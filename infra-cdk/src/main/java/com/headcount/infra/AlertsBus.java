package com.headcount.infra;

import software.amazon.awscdk.services.events.EventBus;
import software.constructs.Construct;

/**
 * EventBridge: the bus alerts go to (source {@code headcount}), for integrations to subscribe to with rules of
 * their own. Alert delivery (signed webhooks, a consumer of its own) is added by issue 9, here.
 */
public final class AlertsBus extends Construct {

    private final EventBus bus;

    public AlertsBus(Construct scope, String id, StageNames names) {
        super(scope, id);
        bus = EventBus.Builder.create(this, "Bus").eventBusName(names.prefix() + "-alerts").build();
    }

    public EventBus bus() {
        return bus;
    }
}
