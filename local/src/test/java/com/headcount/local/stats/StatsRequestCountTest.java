package com.headcount.local.stats;

import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.adapters.aws.RequestMeter;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.handlers.StatsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the stats path asks of AWS, counted by an SDK interceptor on the stats function's own clients over 1 000
 * accepted scans (500 participants, in and out, 6 gates, 3 hours) in batches of 100 from one shard. Request counts,
 * not timings: what on-demand DynamoDB bills. The report goes to local/target/stats-requests.txt.
 */
@ExtendWith(Emulators.Extension.class)
class StatsRequestCountTest {

    static final int SCANS = 1000;
    static final int BATCH = 100;

    @Test
    void oneWritePerAggregatePerBatchAndOneClaimWritePerParticipantPerBatch(Emulators emulators) throws IOException {
        try (var h = new StatsHarness(emulators)) {
            Instant start = h.now.minus(Duration.ofHours(3));
            // half time is still ahead, so no low-attendance alert adds its writes to the count
            var event = new AttendanceEvent(h.eventId, "Requests", start, h.now.plus(Duration.ofHours(4)),
                    ZoneId.of("America/New_York"), Duration.ofMinutes(2), 0.8, 0.3);
            List<Gate> gates = new ArrayList<>();
            for (int g = 0; g < 6; g++) gates.add(new Gate(h.eventId, "g" + g, null, true, 20));
            List<Participant> participants = new ArrayList<>();
            for (int i = 0; i < SCANS / 2; i++) participants.add(new Participant(h.eventId, "p-" + i, "active"));
            h.save(event, gates, participants);

            String[] methods = {"ble_auto", "qr_scan", "manual"};
            List<StatsHarness.Entry> entries = new ArrayList<>();
            for (int i = 0; i < SCANS; i++) {
                int p = i % (SCANS / 2);
                Instant at = start.plus(Duration.ofSeconds(10L * i));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scanId", UUID.randomUUID().toString());
                m.put("eventId", h.eventId);
                m.put("participantId", "p-" + p);
                m.put("gateId", "g" + (i % 6));
                m.put("outcome", "accepted");
                m.put("timestamp", at.toString());
                m.put("method", methods[i % 3]);
                m.put("direction", i < SCANS / 2 ? "entry" : "exit");
                m.put("receivedAt", at.plusMillis(300).toString());
                m.put("decidedAt", at.plusMillis(320).toString());
                entries.add(new StatsHarness.Entry(h.eventId + "#p-" + p, StatsHarness.json(m)));
            }
            String stream = "stats-requests-" + h.n;
            h.createStream(stream, 1);
            h.put(stream, entries);
            StatsSettings s = h.statsSettings("");

            var meter = new RequestMeter();
            var function = h.statsFunction(s, Clock.fixed(h.now, ZoneOffset.UTC), StatsHarness.NO_WAIT, meter);
            meter.reset();
            long invocations;
            try (var mapping = h.mapping(stream, function, BATCH, -1)) {
                mapping.pollUntilCaughtUp(Duration.ofMinutes(2));
                invocations = mapping.counters().invocations();
            }
            Map<String, Long> used = meter.snapshot();
            long puts = used.getOrDefault("DynamoDb.PutItem", 0L);
            long updates = used.getOrDefault("DynamoDb.UpdateItem", 0L);
            long writes = puts + updates;
            // per batch of 100: 100 claim writes (each participant once in a batch), 1 overall, ≤ 6 gates, ≤ 2 hours
            long aggregateWrites = puts - SCANS;
            String report = "Stats requests for " + SCANS + " accepted scans in " + invocations + " batches of " + BATCH
                    + " (StatsRequestCountTest, dynalite + " + KinesisEmulator.configured().label() + ")\n"
                    + "requests: " + used + "\n"
                    + String.format("writes: %d (%.2f per scan, %.1f per batch), of which claim writes %d (1 per participant per batch)"
                            + " and aggregate writes %d (%.1f per batch: overall + gates + hours touched)%n",
                            writes, writes / (double) SCANS, writes / (double) invocations, SCANS, aggregateWrites,
                            aggregateWrites / (double) invocations)
                    + String.format("reads: %d BatchGetItem, %d Query per batch%n",
                            used.getOrDefault("DynamoDb.BatchGetItem", 0L) / invocations,
                            used.getOrDefault("DynamoDb.Query", 0L) / invocations);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "stats-requests.txt"), report);
            System.out.println(report);

            assertEquals(SCANS / BATCH, invocations);
            // the overall item: one write per batch, never per scan (the hot key of a large event)
            assertTrue(aggregateWrites <= invocations * (1 + 6 + 2), "aggregates once per batch: " + used);
            assertTrue(aggregateWrites >= invocations, "at least the overall item each batch: " + used);
            // per batch one BatchGetItem of the claims and one of the overall item, the counter and the hours the batch
            // touches (the gate items come by Query); reference data: the event and the gates once, then from the cache
            assertEquals(2 * invocations + 2, used.get("DynamoDb.BatchGetItem"), "claims and aggregates read once per batch");
            assertEquals(null, used.get("DynamoDb.UpdateItem"), "no alert in this run, so no outbox to clear");
            assertEquals(invocations, used.getOrDefault("Kinesis.PutRecord", 0L), "one stats.updated per batch");
        }
    }
}
