package com.headcount.adapters.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.stats.GateHeartbeat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The heartbeat item as the topic rule writes it, read back as the statistics read it. */
class GateHeartbeatItemsTest {

    static final Instant RECEIVED = Instant.parse("2026-11-26T09:15:30.400Z");

    @Test
    void theSampleHeartbeatIsReadBackWithItsTypes() throws Exception {
        Map<String, Object> sample = JSON.std.mapFrom(Files.readString(Path.of(System.getProperty("headcount.events.dir", "../events"), "mqtt", "status-heartbeat.json")));
        var item = GateHeartbeatItems.fromRule("demo-2026", "north", sample, RECEIVED);
        assertEquals("EVENT#demo-2026", item.get("pk").s());
        assertEquals("HEARTBEAT#north", item.get("sk").s());
        assertFalse(item.containsKey("firmwareNotes"), "fields outside the rule's SELECT are not stored");
        GateHeartbeat beat = GateHeartbeatItems.read(List.of(item)).get("north");
        assertEquals(RECEIVED, beat.receivedAt());
        assertEquals(Instant.parse((String) sample.get("sentAt")), beat.sentAt());
        assertEquals(((Number) sample.get("queueLength")).longValue(), beat.queueLength());
        assertEquals(sample.get("connected"), beat.connected());
        assertEquals(sample.get("version"), beat.version());
    }

    @Test
    void aBodyThatIsNotJsonStillSaysTheGateIsAlive() {
        GateHeartbeat beat = GateHeartbeatItems.read(List.of(GateHeartbeatItems.fromRule("e", "g", null, RECEIVED))).get("g");
        assertEquals(RECEIVED, beat.receivedAt());
        assertNull(beat.sentAt());
        assertNull(beat.queueLength());
    }

    @Test
    void fieldsOfTheWrongTypeAreLeftOut() {
        var item = GateHeartbeatItems.fromRule("e", "g",
                Map.of("sentAt", "yesterday", "queueLength", "many", "connected", "yes", "version", 7), RECEIVED);
        GateHeartbeat beat = GateHeartbeatItems.read(List.of(item)).get("g");
        assertNull(beat.sentAt());
        assertNull(beat.queueLength());
        assertNull(beat.connected());
        assertNull(beat.version());
    }

    @Test
    void otherItemsOfThePartitionAreNotHeartbeats() {
        var aggregate = Map.of("pk", AttributeValue.fromS("EVENT#e"), "sk", AttributeValue.fromS("AGG#OVERALL"));
        assertEquals(Map.of(), GateHeartbeatItems.read(List.of(aggregate)));
    }

    @Test
    void theRuleSelectsTheTopicsIdsTheReceiveTimeAndTheGateFieldsOnly() {
        assertEquals("SELECT concat('EVENT#', topic(3)) AS pk, concat('HEARTBEAT#', topic(5)) AS sk, topic(3) AS eventId, "
                + "topic(5) AS gateId, timestamp() AS receivedAt, sentAt, connected, queueLength, oldestQueuedAt, version, "
                + "allowListAgeSeconds, allowListVersion FROM 'headcount/prod/+/gates/+/status'", GateHeartbeatItems.ruleSql("prod"));
    }
}
