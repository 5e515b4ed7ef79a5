package com.headcount.local.ingest;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Instant t = middleOfABlock(h.now.minus(Duration.ofMinutes(90)));
        List<Object> fresh = new ArrayList<>();
        for (int i = 0; i < SCANS; i++) fresh.add(h.scan("p-" + i, i % 2 == 0 ? "north" : "south", t));
        Map<String, Long> acceptedRun = run(h, fresh);

        List<Object> repeats = new ArrayList<>();
        for (int i = 0; i < SCANS; i++) repeats.add(h.scan("p-" + i, i % 2 == 0 ? "north" : "south", t.plusSeconds(60)));
        Map<String, Long> duplicateRun = run(h, repeats);

        List<Object> sameAgain = new ArrayList<>(fresh);
        Map<String, Long> redeliveryRun = run(h, sameAgain);

        String report = "Ingest requests per 1 000-scan batch (IngestRequestCountTest, dynalite + kinesis-local)\n"
                + "new scans, all accepted:    " + acceptedRun + "\n"
                + "new scans, all duplicates:  " + duplicateRun + "\n"
                + "redelivered, already decided: " + redeliveryRun + "\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "ingest-requests.txt"), report);
        System.out.println(report);

        // accepted: one window claim and one outcome write per scan; reads (stored outcomes, windows, reference
        // data: 100 keys a request) and publishing are per batch
        assertEquals(SCANS, acceptedRun.get("DynamoDb.UpdateItem"));
        assertEquals(SCANS, acceptedRun.get("DynamoDb.PutItem"));
        assertEquals(31, acceptedRun.get("DynamoDb.BatchGetItem"), "batched reads: " + acceptedRun);
        assertEquals(2, acceptedRun.get("Kinesis.PutRecords"), "500 records a PutRecords");
        // duplicates: the batch's window read already shows the first scan, so no claim is tried: only the outcome
        assertEquals(null, duplicateRun.get("DynamoDb.UpdateItem"), "no claim for a duplicate: " + duplicateRun);
        assertEquals(null, duplicateRun.get("DynamoDb.GetItem"));
        assertEquals(SCANS, duplicateRun.get("DynamoDb.PutItem"));
        assertEquals(null, duplicateRun.get("Kinesis.PutRecords"), "duplicates are not published");
        // a redelivery reads its stored outcomes (and reference data), then republishes what was accepted
        assertEquals(null, redeliveryRun.get("DynamoDb.PutItem"));
        assertEquals(null, redeliveryRun.get("DynamoDb.UpdateItem"));
        assertEquals(21, redeliveryRun.get("DynamoDb.BatchGetItem"), "no window read for scans stored as accepted");
        assertEquals(2, redeliveryRun.get("Kinesis.PutRecords"));
    }

    /** A time in the middle of a 50-minute window block, so no scan at it needs a mirror across a block edge. */
    static Instant middleOfABlock(Instant around) {
        long bucket = Math.floorDiv(around.toEpochMilli(), WindowRule.WINDOW_MILLIS);
        long middle = Math.floorDiv(bucket, WindowRule.BUCKETS_PER_BLOCK) * WindowRule.BUCKETS_PER_BLOCK
                + WindowRule.BUCKETS_PER_BLOCK / 2;
        return Instant.ofEpochMilli(middle * WindowRule.WINDOW_MILLIS + 1_000);
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
