package com.headcount.core.allowlist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases in events/allowlist/edge-decisions.json, decided by the gate's rules. The check-in page's own port of the
 * rules (dashboard/src/checkin/allowlist.js) is tested against the same file, so the two cannot drift apart unseen.
 */
class EdgeDecisionSamplesTest {

    private static final Path EVENTS = Path.of(System.getProperty("headcount.events.dir", "../events"));

    static Stream<Map<String, Object>> cases() throws IOException {
        Map<String, Object> doc = JSON.std.mapFrom(Files.readString(EVENTS.resolve("allowlist/edge-decisions.json")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.get("cases");
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void theGatesRulesDecideEachCaseAsWrittenDown(Map<String, Object> c) throws IOException {
        AllowList list = AllowListCodec.parse(Files.readAllBytes(EVENTS.resolve("allowlist/demo-2026-v42.txt")));
        Scan scan = scan("scanned-here", list.eventId(), (Map<String, Object>) c.get("scan"));
        List<Scan> acceptedHere = ((List<Map<String, Object>>) c.get("acceptedHere")).stream()
                .map(a -> scan((String) a.get("scanId"), list.eventId(), a)).toList();
        // what a gate's window holds: its accepted scans of this participant, gate and direction; the first one named
        EdgeRules.AcceptedHere window = s -> acceptedHere.stream()
                .filter(a -> a.participantId().equals(s.participantId()) && a.gateId().equals(s.gateId())
                        && a.direction() == s.direction() && WindowRule.collide(a.scannedAt(), s.scannedAt()))
                .min(Comparator.comparing(Scan::scannedAt).thenComparing(Scan::scanId))
                .map(a -> new EdgeRules.FirstScan(a.scanId(), a.scannedAt()));

        var decided = EdgeRules.decide(scan, list, Instant.parse((String) c.get("receivedAt")), window);

        Map<String, Object> actual = new LinkedHashMap<>();
        actual.put("verdict", decided.verdict().wireName());
        if (decided.reason() != null) actual.put("reason", decided.reason().code());
        if (decided.firstScan() != null) actual.put("firstScanId", decided.firstScan().scanId());
        assertEquals(c.get("expect"), actual, (String) c.get("name"));
    }

    private static Scan scan(String scanId, String eventId, Map<String, Object> s) {
        return new Scan(scanId, eventId, (String) s.get("participantId"), (String) s.get("gateId"),
                Instant.parse((String) s.get("scannedAt")), "Z", ScanMethod.QR_SCAN,
                Direction.fromWire((String) s.get("direction")).orElseThrow(), null, null);
    }
}
