package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.api.AttendanceApi;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.testing.ApiEvents;
import com.headcount.testing.InMemoryStores;
import com.headcount.testing.Scans;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 point 5: the HTTP API's scan decisions give the same Embedded Metric Format lines as ingest's (scans
 * decided per gate and verdict, scan to decision), with the channel beside them.
 */
class ApiFunctionMetricsTest {

    static final Instant NOW = Scans.START.plusSeconds(3600);
    static final Map<String, String> ORGANIZER = Map.of("sub", "org", "eventRoles", "[" + Scans.EVENT + ":organizer]");

    final ApiFunction function = new ApiFunction(new AttendanceApi.Services(
            new Gatekeeper(Scans.reference(), new InMemoryStores.Window(), new InMemoryStores.Log(),
                    new InMemoryStores.Published(), Clock.fixed(NOW, ZoneOffset.UTC)),
            new HttpScanGrantsTest.NoneSetAside(), null, null, null, null, 1024, FailureClassifier.CORE,
            Clock.fixed(NOW, ZoneOffset.UTC), null));
    final List<String> log = new ArrayList<>();

    static Map<String, Object> scan(String participant, String gate, Instant at) {
        return Map.of("eventId", Scans.EVENT, "participantId", participant, "gateId", gate, "timestamp", at.toString(),
                "method", "qr_scan");
    }

    void post(String path, Object body, int expectedStatus) throws IOException {
        var event = ApiEvents.request("POST", path, Map.of("content-type", "application/json"), JSON.std.asString(body),
                ORGANIZER, "r" + System.nanoTime(), NOW.toEpochMilli());
        assertEquals(expectedStatus, function.handleRequest(event, StatsFunctionTest.context(log)).getStatusCode());
    }

    /** The metric lines of the log, parsed. */
    List<Map<String, Object>> metricLines() throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : log) {
            Map<String, Object> m = JSON.std.mapFrom(line);
            if (m.containsKey("_aws")) lines.add(m);
        }
        return lines;
    }

    @Test
    void aRecordedScanIsCountedForItsGateWithItsScanToDecisionTimeAndTheChannel() throws IOException {
        post("/api/v1/attendance/record", scan("p-1", "north", NOW.minusMillis(1500)), 201);

        List<Map<String, Object>> lines = metricLines();
        assertEquals(1, lines.size(), "one line for the one gate, and no batch age: " + log);
        Map<String, Object> line = lines.get(0);
        assertEquals("north", line.get("Gate"));
        assertEquals("http", line.get("Channel"));
        assertEquals(1, line.get("ScansDecided.accepted"));
        assertEquals(List.of(1500), line.get("ScanToDecision"));
        Map<?, ?> directive = (Map<?, ?>) ((List<?>) ((Map<?, ?>) line.get("_aws")).get("CloudWatchMetrics")).get(0);
        assertEquals(IngestFunction.METRICS_NAMESPACE, directive.get("Namespace"));
        assertEquals(List.of(List.of("Gate")), directive.get("Dimensions"), "the same metrics as ingest's, per gate");
    }

    @Test
    void aBatchIsCountedPerGateAndVerdict() throws IOException {
        var batch = Map.of("scans", List.of(scan("p-1", "north", NOW.minusSeconds(2)),
                scan("p-1", "north", NOW.minusSeconds(1)), scan("p-2", "south", NOW.minusSeconds(1))));
        post("/api/v1/attendance/batch", batch, 200);

        Map<Object, Map<String, Object>> byGate = new java.util.TreeMap<>();
        for (Map<String, Object> line : metricLines()) byGate.put(line.get("Gate"), line);
        assertEquals(List.of("north", "south"), List.copyOf(byGate.keySet()));
        assertEquals(1, byGate.get("north").get("ScansDecided.accepted"));
        assertEquals(1, byGate.get("north").get("ScansDecided.duplicate"), "the second scan within the window");
        assertEquals(1, byGate.get("south").get("ScansDecided.accepted"));
        assertEquals("http", byGate.get("south").get("Channel"));
    }
}
