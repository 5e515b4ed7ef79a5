package com.headcount.bench.load;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.local.emulator.LocalAws;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The event a load run plays: open from an hour ago for a day, {@code gates} gates, and one participant per scan the
 * run will make, so every scan is a first entry (doors open: each person comes in once).
 */
record BenchEvent(String eventId, List<String> gateIds, int participants) {

    static BenchEvent load(URI dynamoDb, String eventId, int gates, int participants) {
        List<String> gateIds = IntStream.rangeClosed(1, gates).mapToObj(i -> String.format("gate-%02d", i)).toList();
        try (var dynamo = LocalAws.dynamoDb(dynamoDb)) {
            var reference = new DynamoReferenceData(dynamo, HeadcountSettings.defaults().referenceTable());
            Instant start = Instant.now().minus(Duration.ofHours(1));
            reference.save(new AttendanceEvent(eventId, "Load " + eventId, start, start.plus(Duration.ofDays(1)),
                    ZoneId.of("UTC"), AttendanceEvent.DEFAULT_CLOCK_SKEW_TOLERANCE,
                    AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD, AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE));
            for (String gate : gateIds) {
                reference.save(new Gate(eventId, gate, gate, true, 10_000));
            }
            reference.saveAll(IntStream.range(0, participants)
                    .mapToObj(i -> new Participant(eventId, participant(i), "active")).toList());
        }
        return new BenchEvent(eventId, gateIds, participants);
    }

    static String participant(int i) {
        return String.format("B-%07d", i);
    }
}
