package com.headcount.adapters.iot;

import com.headcount.core.allowlist.AllowListTopics;
import com.headcount.core.allowlist.AllowLists;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;

/**
 * Allow-list answers and deltas through the IoT data plane's Publish, QoS 1. A lost answer costs the gate nothing but
 * time (it asks again on its next connection); a lost delta is caught by the next delta's base version or the next
 * request, so a failure is thrown to the caller rather than retried here.
 */
public final class IotAllowListChannel implements AllowLists.Channel {

    private final IotDataPlaneClient iot;
    private final String stage;

    /** @param stage the deployment's stage: its gates' topics, and the only ones its grant covers */
    public IotAllowListChannel(IotDataPlaneClient iot, String stage) {
        this.iot = iot;
        this.stage = stage;
    }

    @Override
    public void answer(String eventId, String gateId, byte[] json) {
        publish(AllowListTopics.answer(stage, eventId, gateId), json);
    }

    @Override
    public void delta(String eventId, byte[] json) {
        publish(AllowListTopics.deltas(stage, eventId), json);
    }

    private void publish(String topic, byte[] json) {
        iot.publish(b -> b.topic(topic).qos(1).payload(SdkBytes.fromByteArrayUnsafe(json)));
    }
}
