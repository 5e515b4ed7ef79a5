package com.headcount.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate and the functions do not share a jar (a gate should not carry the AWS SDK), so the samples in events/
 * are their contract: the functions' tests read the same files.
 */
class WireFormatTest {

    static Path events() {
        return Path.of(System.getProperty("headcount.events.dir", "../events"));
    }

    @Test
    void aScanIsWrittenExactlyAsTheSampleScan() throws IOException {
        Map<String, Object> sample = JSON.std.mapFrom(Files.readAllBytes(events().resolve("mqtt/scan.json")));
        @SuppressWarnings("unchecked")
        var scan = new Scan((String) sample.get("scanId"), (String) sample.get("eventId"),
                (String) sample.get("participantId"), (String) sample.get("gateId"),
                OffsetDateTime.parse((String) sample.get("timestamp")), ScanMethod.QR_SCAN, Direction.ENTRY,
                (String) sample.get("location"), (Map<String, Object>) sample.get("deviceInfo"));
        assertEquals(sample, JSON.std.mapFrom(scan.toJson()));
    }

    @Test
    void everySampleDecisionIsRead() throws IOException {
        var duplicate = Decision.fromJson(Files.readAllBytes(events().resolve("mqtt/decision-duplicate.json")));
        assertEquals("duplicate", duplicate.outcome());
        assertEquals("3f0c1b2d-4e5f-4b8e-9a51-6f1c2a9e0c2b", duplicate.firstScanId());
        var rejected = Decision.fromJson(Files.readAllBytes(events().resolve("mqtt/decision-rejected.json")));
        assertEquals("participant_not_found", rejected.reason());
        assertEquals(true, Decision.fromJson(Files.readAllBytes(events().resolve("mqtt/decision-accepted.json"))).accepted());
    }
}
