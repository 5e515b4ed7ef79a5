package com.headcount.local.api;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.reference.ReferenceKey;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 100 000 participants in one CSV request through the local gateway, with a few bad rows reported. */
@ExtendWith(Emulators.Extension.class)
class ParticipantImportHttpTest {

    @Test
    void aHundredThousandRowsAreImportedAndBadRowsReported(Emulators emulators) {
        try (var h = new ApiHarness(emulators)) {
            String e = "import-" + ApiHarness.SEQUENCE.incrementAndGet();
            String organizer = h.token("organizer", e);
            Instant now = Instant.now();
            assertEquals(200, h.json("PUT", "/api/v1/events/" + e, organizer, Map.of("start", now.toString(),
                    "end", now.plus(Duration.ofHours(8)).toString())).status());

            StringBuilder csv = new StringBuilder("participantId,status,email\r\n");
            for (int i = 0; i < 100_000; i++) {
                csv.append("p-").append(i).append(i % 1000 == 7 ? ",cancelled" : ",active").append(",\r\n");
            }
            csv.append("p-5,active,\r\n");          // repeated id
            csv.append("bad id!,active,\r\n");      // id with a space
            csv.append("p-x,vip,\r\n");             // unknown status
            csv.append("\"p-quoted\",\"active\",\"a,b\"\r\n");
            byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);

            h.meter.reset();
            long started = System.nanoTime();
            var answer = h.send("POST", "/api/v1/events/" + e + "/participants/imports", organizer, "text/csv", body);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(201, answer.status(), answer.body());
            @SuppressWarnings("unchecked")
            Map<String, Object> report = (Map<String, Object>) answer.json().get("report");
            assertEquals(100_004, ((Number) report.get("received")).intValue());
            assertEquals(100_001, ((Number) report.get("imported")).intValue());
            assertEquals(3, ((Number) report.get("rejectedCount")).intValue());
            assertEquals(List.of("email"), report.get("ignoredColumns"));
            long batchWrites = h.meter.count("DynamoDb.BatchWriteItem");
            System.out.printf("{\"import\":{\"rows\":100004,\"bytes\":%d,\"millis\":%d,\"dynamoRequests\":%s}}%n",
                    body.length, millis, h.meter.snapshot());
            assertTrue(batchWrites >= 4001, "at least one batch write per 25 rows: " + batchWrites);

            var status = h.get(answer.header("Location"), organizer);
            assertEquals(200, status.status());
            assertEquals("completed", status.json().get("status"));

            var reference = new DynamoReferenceData(h.dynamo, h.settings.shared().referenceTable());
            var found = reference.lookup(List.of(new ReferenceKey.OfParticipant(e, "p-99999"),
                    new ReferenceKey.OfParticipant(e, "p-7"), new ReferenceKey.OfParticipant(e, "p-quoted")));
            assertEquals("active", found.participant(e, "p-99999").orElseThrow().status());
            assertEquals("cancelled", found.participant(e, "p-7").orElseThrow().status());
            assertTrue(found.participant(e, "p-quoted").isPresent());

            assertEquals(200, h.json("PUT", "/api/v1/events/" + e + "/participants/p-99999/status", organizer,
                    Map.of("status", "inactive")).status());
            assertEquals(404, h.json("PUT", "/api/v1/events/" + e + "/participants/p-nobody/status", organizer,
                    Map.of("status", "inactive")).status());

            var tooBig = h.send("POST", "/api/v1/events/" + e + "/participants/imports", organizer, "text/csv",
                    new byte[7 * 1024 * 1024]);
            assertEquals(413, tooBig.status(), tooBig.body());
            assertEquals("payload_too_large", tooBig.json().get("code"));
        }
    }

    @Test
    void anImportThatStopsHalfWayStillCountsWhatItWrote(Emulators emulators) {
        try (var h = new ApiHarness(emulators)) {
            String e = "import-" + ApiHarness.SEQUENCE.incrementAndGet();
            String organizer = h.token("organizer", e);
            Instant now = Instant.now();
            assertEquals(200, h.json("PUT", "/api/v1/events/" + e, organizer, Map.of("start", now.toString(),
                    "end", now.plus(Duration.ofHours(8)).toString())).status());
            var first = h.send("POST", "/api/v1/events/" + e + "/participants/imports", organizer, "text/csv",
                    "participantId\r\na-1\r\na-2\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(201, first.status(), first.body());
            var counts = new ParticipantCounts(h.dynamo, h.settings.shared().statisticsTable(), h.settings.shared().referenceTable());
            assertEquals(2, counts.active(e));

            // 30 good rows, then a quote that never closes: the rows before it are kept, the import fails
            StringBuilder csv = new StringBuilder("participantId\r\n");
            for (int i = 0; i < 30; i++) csv.append("b-").append(i).append("\r\n");
            csv.append("\"b-open,\r\n");
            var failed = h.send("POST", "/api/v1/events/" + e + "/participants/imports", organizer, "text/csv",
                    csv.toString().getBytes(StandardCharsets.UTF_8));
            assertEquals(400, failed.status(), failed.body());
            assertEquals(30, ((Number) ((Map<?, ?>) failed.json().get("partialReport")).get("imported")).intValue());
            assertEquals(32, counts.active(e), "the 30 it wrote before it stopped are counted");
        }
    }
}
