package com.headcount.local.ingest;

import com.headcount.local.testing.AwsEndpoints;
import com.headcount.local.testing.Streams;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.aws.RequestMeter;
import com.headcount.adapters.dynamodb.DynamoOutcomeLog;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.decision.GateFeedback;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.Wiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.lambda.EventSourceMappingConfiguration;
import com.headcount.local.lambda.InMemoryOnFailureDestination;
import com.headcount.local.lambda.KinesisEventSourceMapping;
import com.headcount.local.stack.LocalResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The ingest path wired as in AWS, on the emulators: a `scans` stream, the real IngestFunction behind the event
 * source mapping runner, the real tables and an `attendance-recorded` stream. Each harness has its own streams and
 * event, so tests cannot see each other's data.
 */
final class IngestHarness {

    static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String eventId;
    String scansStream;
    final HeadcountSettings settings;
    final RequestMeter meter = new RequestMeter();
    final DynamoDbClient dynamo;
    final KinesisClient kinesis;
    /** The runner's own client, so the meter sees only what the function sends. */
    final KinesisClient runnerKinesis;
    /** The function's own clients: the same interceptors, and its calls recorded for the grants test. */
    private final AwsClients functionClients;
    final DynamoOutcomeLog outcomes;
    final InMemoryOnFailureDestination onFailure = new InMemoryOnFailureDestination();
    /** Event times are around the real clock: the clock-skew rule compares them with Kinesis arrival times. */
    final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    IngestHarness(AwsEndpoints emulators, ExecutionInterceptor... faults) {
        int n = SEQUENCE.incrementAndGet();
        eventId = "event-" + n;
        scansStream = "scans-" + n;
        settings = HeadcountSettings.from(Map.of("ATTENDANCE_RECORDED_STREAM", "attendance-recorded-" + n));
        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(meter));
        interceptors.addAll(List.of(faults));
        AwsClients clients = LocalAws.clients(emulators.dynamoDb(), emulators.kinesis(),
                interceptors.toArray(ExecutionInterceptor[]::new));
        dynamo = clients.dynamoDb();
        kinesis = clients.kinesis();
        interceptors.add(AwsCalls.of("IngestFunction", AwsCalls.variables(settings)));
        functionClients = LocalAws.clients(emulators.dynamoDb(), emulators.kinesis(),
                interceptors.toArray(ExecutionInterceptor[]::new));
        runnerKinesis = LocalAws.kinesis(emulators.kinesis());
        outcomes = new DynamoOutcomeLog(dynamo, settings.scansTable());

        LocalResources.createTables(dynamo, settings);
        LocalResources.createStream(kinesis, scansStream, 2);
        LocalResources.createStream(kinesis, settings.attendanceRecordedStream(), 2);

        var reference = new DynamoReferenceData(dynamo, settings.referenceTable());
        reference.save(new AttendanceEvent(eventId, "Integration day", now.minus(Duration.ofHours(3)),
                now.plus(Duration.ofHours(3)), ZoneId.of("Europe/Berlin"), Duration.ofMinutes(2), 0.8, 0.3));
        reference.save(new Gate(eventId, "north", "North", true, 30));
        reference.save(new Gate(eventId, "south", "South", true, 30));
        reference.save(new Gate(eventId, "closed", "Closed", false, 30));
        List<Participant> participants = new ArrayList<>();
        for (int i = 0; i < 1200; i++) participants.add(new Participant(eventId, "p-" + i, "active"));
        participants.add(new Participant(eventId, "p-cancelled", "cancelled"));
        reference.saveAll(participants);
        meter.reset();
    }

    /** Points the harness at a new, empty `scans` stream, so a new mapping sees only what is published next. */
    void useFreshScansStream(int shards) {
        scansStream = scansStream + "-" + SEQUENCE.incrementAndGet();
        LocalResources.createStream(runnerKinesis, scansStream, shards);
    }

    IngestFunction newFunction() {
        return new IngestFunction(Wiring.gatekeeper(functionClients.dynamoDb(), functionClients.kinesis(), settings,
                Clock.systemUTC()), GateFeedback.NONE);
    }

    KinesisEventSourceMapping mapping(IngestFunction function, int batchSize) {
        return new KinesisEventSourceMapping(runnerKinesis, EventSourceMappingConfiguration.builder()
                .streamName(scansStream)
                .functionName("IngestFunction")
                .batchSize(batchSize)
                .startingPosition(EventSourceMappingConfiguration.StartingPosition.TRIM_HORIZON)
                .maximumRetryAttempts(5)
                .bisectBatchOnFunctionError(true)
                .reportBatchItemFailures(true)
                .onFailure(onFailure)
                .pollInterval(Duration.ofMillis(20))
                .build(), function);
    }

    /** A scan message as a gate would publish it. */
    Map<String, Object> scan(String participantId, String gateId, Instant at) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("scanId", UUID.randomUUID().toString());
        m.put("eventId", eventId);
        m.put("participantId", participantId);
        m.put("gateId", gateId);
        m.put("timestamp", at.toString());
        m.put("method", "qr_scan");
        return m;
    }

    /**
     * What the IoT topic rule does: each message onto `scans` in its envelope, partition key the gate. A message
     * is published on the topic of the event and gate it names (a message naming none, on this event's gate north).
     */
    List<PutRecordsResultEntry> publish(List<?> messages) {
        return publishOn(null, messages);
    }

    /** The same, every message on gate {@code topicGate}'s topic of this event whatever it names (null: its own). */
    List<PutRecordsResultEntry> publishOn(String topicGate, List<?> messages) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += 500) {
            var entries = messages.subList(from, Math.min(messages.size(), from + 500)).stream()
                    .map(m -> {
                        String gate = topicGate != null ? topicGate : named(m, "gateId", "north");
                        String event = topicGate != null ? eventId : named(m, "eventId", eventId);
                        return PutRecordsRequestEntry.builder().partitionKey(gate)
                                .data(SdkBytes.fromByteArray(GateMessage.toRecord(event, gate, bytes(m))))
                                .build();
                    })
                    .toList();
            var response = runnerKinesis.putRecords(b -> b.streamName(scansStream).records(entries));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException("the emulator refused records");
            }
            results.addAll(response.records());
        }
        return results;
    }

    /** Everything on `attendance-recorded`, every shard, from the start. */
    List<Outcome> recorded() {
        return Streams.readAll(runnerKinesis, settings.attendanceRecordedStream()).stream()
                .map(r -> OutcomeJson.fromBytes(r.data().asByteArray()))
                .toList();
    }

    /** How many outcome items the scans table holds for this harness's event (malformed ones excluded). */
    int storedOutcomes() {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(settings.scansTable())
                    .filterExpression("eventId = :e AND attribute_exists(scannedAt)")
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(eventId)))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static String named(Object message, String field, String otherwise) {
        return message instanceof Map<?, ?> map && map.get(field) instanceof String s ? s : otherwise;
    }

    /** A message as the rule puts it on `scans`, on the topic of the event and gate it names. */
    static byte[] ruleRecord(Object message) {
        return GateMessage.toRecord(named(message, "eventId", "unknown"), named(message, "gateId", "unknown"), bytes(message));
    }

    static byte[] bytes(Object message) {
        if (message instanceof String s) return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            return JSON.std.asBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
