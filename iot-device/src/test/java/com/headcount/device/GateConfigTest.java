package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateConfigTest {

    @Test
    void an_aws_gate_connects_as_its_thing_and_sends_scans_through_basic_ingest() {
        GateConfig config = GateConfig.fromEnvironment(Map.of(
                GateConfig.MODE, "aws-iot",
                GateConfig.EVENT_ID, "evt-1",
                GateConfig.GATE_ID, "gate-7",
                GateConfig.THING_NAME, "headcount-gate-7",
                GateConfig.IOT_ENDPOINT, "example-ats.iot.eu-west-1.amazonaws.com",
                GateConfig.IOT_CERT, "/etc/headcount/gate.pem.crt",
                GateConfig.IOT_KEY, "/etc/headcount/gate.pem.key",
                GateConfig.STAGE, "prod",
                GateConfig.SCAN_TOPIC_PREFIX, "$aws/rules/headcount_prod_scans",
                GateConfig.QUEUE_DIR, "/var/lib/headcount/queue"));

        BrokerConnection.AwsIotCore aws = assertInstanceOf(BrokerConnection.AwsIotCore.class, config.connection());
        assertEquals("headcount-gate-7", aws.clientId());
        assertEquals("$aws/rules/headcount_prod_scans/headcount/prod/evt-1/gates/gate-7/scans", config.topics().scans());
        assertEquals("headcount/prod/evt-1/gates/gate-7/status", config.topics().status());
        assertEquals("headcount/prod/evt-1/gates/gate-7/decisions", config.topics().decisions());
        assertEquals(Path.of("/var/lib/headcount/queue"), config.queueFolder());
    }

    @Test
    void a_local_gate_publishes_on_the_plain_topic() {
        GateConfig config = GateConfig.fromEnvironment(Map.of(
                GateConfig.EVENT_ID, "evt-1", GateConfig.GATE_ID, "gate-7", GateConfig.MQTT_PORT, "1884"));

        assertEquals(new BrokerConnection.LocalBroker("localhost", 1884, "gate-7"), config.connection());
        assertEquals("headcount/local/evt-1/gates/gate-7/scans", config.topics().scans());
        assertEquals("headcount/dev/evt-1/gates/gate-7/decisions", GateConfig.fromEnvironment(Map.of(GateConfig.STAGE, "dev",
                GateConfig.EVENT_ID, "evt-1", GateConfig.GATE_ID, "gate-7")).topics().decisions());
    }

    @Test
    void a_gate_of_aws_must_name_its_stage() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GateConfig.fromEnvironment(Map.of(GateConfig.MODE, "aws-iot", GateConfig.EVENT_ID, "e",
                        GateConfig.GATE_ID, "g", GateConfig.IOT_ENDPOINT, "x", GateConfig.IOT_CERT, "c",
                        GateConfig.IOT_KEY, "k")));
        assertEquals("HEADCOUNT_STAGE is required", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GateTopics("Prod/x", "e", "g", ""));
    }

    @Test
    void says_which_setting_is_missing() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GateConfig.fromEnvironment(Map.of(GateConfig.MODE, "aws-iot", GateConfig.EVENT_ID, "e", GateConfig.GATE_ID, "g")));
        assertEquals(GateConfig.IOT_ENDPOINT + " is required", error.getMessage());
    }
}
