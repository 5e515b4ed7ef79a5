package com.headcount.local.ingest;

import com.headcount.local.testing.Emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoOutcomeLog;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.Verdict;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.Wiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.lambda.LocalContext;
import com.headcount.local.stack.LocalResources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The handler driven by the sample KinesisEvent in events/, deserialised the way the Lambda runtime does it. */
@ExtendWith(Emulators.Extension.class)
class IngestFunctionEventTest {

    @Test
    void theSampleBatchIsDecidedAsItsReadmeSays(Emulators emulators) {
        KinesisEvent event = EventLoader.loadKinesisEvent(
                Path.of(System.getProperty("headcount.events.dir"), "lambda", "ingest-scans-batch.json").toString());
        var settings = HeadcountSettings.from(Map.of("ATTENDANCE_RECORDED_STREAM", "attendance-recorded-samples"));
        var clients = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint());
        var dynamo = clients.dynamoDb();
        LocalResources.createTables(dynamo, settings);
        LocalResources.createStream(clients.kinesis(), settings.attendanceRecordedStream(), 1);
        var reference = new DynamoReferenceData(dynamo, settings.referenceTable());
        reference.save(AttendanceEvent.withDefaults("demo-2026", Instant.parse("2026-11-26T09:00:00Z"),
                Instant.parse("2026-11-26T18:00:00Z"), ZoneId.of("Europe/Berlin")));
        reference.save(new Gate("demo-2026", "north", "North", true, 30));
        reference.saveAll(List.of(new Participant("demo-2026", "P-000042", "active")));

        var own = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                AwsCalls.of("IngestFunction", AwsCalls.variables(settings)));
        var function = new IngestFunction(Wiring.gatekeeper(own.dynamoDb(), own.kinesis(), settings, Clock.systemUTC()),
                GateFeedback.NONE);
        var response = function.handleRequest(event, new LocalContext("IngestFunction", Duration.ofMinutes(1)));

        assertTrue(response.getBatchItemFailures().isEmpty());
        var log = new DynamoOutcomeLog(dynamo, settings.scansTable());
        Outcome first = log.get(new ScanRef("demo-2026", "3f0c1b2d-4e5f-4b8e-9a51-6f1c2a9e0c2b")).orElseThrow();
        Outcome second = log.get(new ScanRef("demo-2026", "c1d8a7e2-5b46-4f3a-9e1d-0a2b3c4d5e6f")).orElseThrow();
        Outcome unknown = log.get(new ScanRef("demo-2026", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")).orElseThrow();
        assertEquals(Verdict.ACCEPTED, first.verdict());
        assertEquals(Instant.parse("2026-11-26T09:15:30.400Z"), first.receivedAt(), "arrival time comes from Kinesis");
        assertEquals(Verdict.DUPLICATE, second.verdict());
        assertEquals(first.scanId(), second.firstScanId());
        assertEquals(RejectReason.PARTICIPANT_NOT_FOUND, unknown.reason());
        var malformed = dynamo.getItem(b -> b.tableName(settings.scansTable()).consistentRead(true).key(Map.of("scanKey",
                AttributeValue.fromS("refused#" + event.getRecords().get(3).getEventID())))).item();
        assertEquals("timestamp: not ISO-8601 with an offset, e.g. 2026-11-26T09:30:00+01:00", malformed.get("detail").s());
        var mismatch = dynamo.getItem(b -> b.tableName(settings.scansTable()).consistentRead(true).key(Map.of("scanKey",
                AttributeValue.fromS("refused#" + event.getRecords().get(4).getEventID())))).item();
        assertEquals("topic_mismatch", mismatch.get("reason").s());
        assertEquals("north", mismatch.get("gateId").s(), "kept under the topic's gate");
        assertTrue(log.get(new ScanRef("demo-2026", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")).isEmpty(),
                "the scan id it named is not taken");
    }
}
