package com.headcount.local.ingest;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.decision.WindowRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the ingest function asks of AWS per scan, counted by an SDK interceptor over 1 000-scan batches. These are
 * request counts, not timings: they are the same on any machine, and they are what on-demand DynamoDB and Kinesis
 * bill. The report goes to local/target/ingest-requests.txt.
 */
@ExtendWith(Emulators.Extension.class)
class IngestRequestCountTest {

    static final int SCANS = 1000;

    @Test
    void aThousandNewScansCostTwoConditionalWritesEachAndDuplicatesOnlyTheirOutcome(Emulators emulators)
            throws IOException {
        var h = new IngestHarness(emulators);
        Instant t = h.now.minus(Duration.ofMinutes(90));
        // a lane whose block grid has an edge at t writes a mirror too: one lane in five, spread by lane
        long mirrors = 0;
        long settledByRead = 0;
        for (int i = 0; i < SCANS; i++) {
            int offset = WindowRule.offsetOf(h.eventId + "#p-" + i + "#" + (i % 2 == 0 ? "north" : "south") + "#entry");
            long bucket = WindowRule.bucketOf(t);
            if (WindowRule.mirrorBlockOf(bucket, offset).isEmpty()) continue;
            mirrors++;
            // its duplicate a minute later, in the same block, is settled only once the first's mirror is read
            if (WindowRule.blockOf(WindowRule.bucketOf(t.plusSeconds(60)), offset) == WindowRule.blockOf(bucket, offset)) {
                settledByRead++;
            }
        }
        List<Object> fresh = new ArrayList<>();
        for (int i = 0; i < SCANS; i++) fresh.add(h.scan("p-" + i, i % 2 == 0 ? "north" : "south", t));
        Map<String, Long> acceptedRun = run(h, fresh);

        List<Object> repeats = new ArrayList<>();
        for (int i = 0; i < SCANS; i++) repeats.add(h.scan("p-" + i, i % 2 == 0 ? "north" : "south", t.plusSeconds(60)));
        Map<String, Long> duplicateRun = run(h, repeats);

        List<Object> sameAgain = new ArrayList<>(fresh);
        Map<String, Long> redeliveryRun = run(h, sameAgain);

        String report = "Ingest requests per 1 000-scan batch (IngestRequestCountTest, dynalite + kinesalite)\n"
                + "new scans, all accepted:    " + acceptedRun + " (" + mirrors + " lanes at a block edge)\n"
                + "new scans, all duplicates:  " + duplicateRun + "\n"
                + "redelivered, already decided: " + redeliveryRun + "\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "ingest-requests.txt"), report);
        System.out.println(report);

        // accepted: one window claim and one outcome write per scan; reads (stored outcomes, windows, reference
        // data: 100 keys a request) and publishing are per batch
        assertEquals(SCANS + mirrors, acceptedRun.get("DynamoDb.UpdateItem"), mirrors + " mirrors");
        assertTrue(mirrors > SCANS / 10 && mirrors < SCANS * 3 / 10, "about one in five: " + mirrors);
        assertEquals(SCANS, acceptedRun.get("DynamoDb.PutItem"));
        assertEquals(31, acceptedRun.get("DynamoDb.BatchGetItem"), "batched reads: " + acceptedRun);
        assertEquals(2, acceptedRun.get("Kinesis.PutRecords"), "500 records a PutRecords");
        // duplicates: the batch's window read already shows the first scan, so no claim is tried: only the outcome
        assertEquals(null, duplicateRun.get("DynamoDb.UpdateItem"), "no claim for a duplicate: " + duplicateRun);
        assertEquals(settledByRead == 0 ? null : settledByRead, duplicateRun.get("DynamoDb.GetItem"),
                "a read of the neighbour only where the first scan is an edge claim of the same block");
        assertEquals(SCANS, duplicateRun.get("DynamoDb.PutItem"));
        assertEquals(null, duplicateRun.get("Kinesis.PutRecords"), "duplicates are not published");
        // a redelivery reads its stored outcomes (and reference data), then republishes what was accepted
        assertEquals(null, redeliveryRun.get("DynamoDb.PutItem"));
        assertEquals(null, redeliveryRun.get("DynamoDb.UpdateItem"));
        assertEquals(21, redeliveryRun.get("DynamoDb.BatchGetItem"), "no window read for scans stored as accepted");
        assertEquals(2, redeliveryRun.get("Kinesis.PutRecords"));
    }

    private static Map<String, Long> run(IngestHarness h, List<Object> messages) {
        h.useFreshScansStream(1); // one shard: the whole 1 000 in one batch
        h.publish(messages);
        h.meter.reset();
        try (var mapping = h.mapping(h.newFunction(), SCANS)) {
            mapping.pollUntilCaughtUp(Duration.ofMinutes(3));
        }
        return h.meter.snapshot();
    }
}
