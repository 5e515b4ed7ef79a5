package com.headcount.local.stats;

import com.headcount.local.testing.Emulators;
import com.headcount.local.testing.Streams;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.adapters.dynamodb.OutcomeItems;
import com.headcount.adapters.dynamodb.ParticipantCounts;
import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Outcome;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.time.Sleeper;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.StatsClockFunction;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.handlers.StatsWiring;
import com.headcount.handlers.Wiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.lambda.EventSourceMappingConfiguration;
import com.headcount.local.lambda.InMemoryOnFailureDestination;
import com.headcount.local.lambda.KinesisEventSourceMapping;
import com.headcount.local.stack.LocalResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
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

/**
 * Ingest and stats wired as in AWS, on the emulators: `scans` → IngestFunction → `attendance-recorded` →
 * StatsFunction → statistics table and `statistics-updates`. Each harness has its own event, streams and
 * statistics tables.
 */
final class StatsHarness implements AutoCloseable {

    static final AtomicInteger SEQUENCE = new AtomicInteger();

    final int n = SEQUENCE.incrementAndGet();
    final String eventId = "stats-event-" + n;
    final String scansStream = "stats-scans-" + n;
    final HeadcountSettings settings = HeadcountSettings.from(Map.of("ATTENDANCE_RECORDED_STREAM", "stats-recorded-" + n));
    final Emulators emulators;
    /** Plain clients: set-up, the runners and the checks. The functions get their own, metered or faulty. */
    final DynamoDbClient dynamo;
    final KinesisClient kinesis;
    final DynamoReferenceData reference;
    final InMemoryOnFailureDestination onFailure = new InMemoryOnFailureDestination();
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** Streams this harness made: deleted on close, so a run on kinesis-local (50 shards in all) has room. */
    private final List<String> streams = new ArrayList<>();

    StatsHarness(Emulators emulators) {
        this.emulators = emulators;
        dynamo = LocalAws.dynamoDb(emulators.dynalite.endpoint());
        kinesis = LocalAws.kinesis(emulators.kinesis.endpoint());
        LocalResources.createTables(dynamo, settings);
        reference = new DynamoReferenceData(dynamo, settings.referenceTable());
    }

    void save(AttendanceEvent event, List<Gate> gates, List<Participant> participants) {
        reference.save(event);
        gates.forEach(reference::save);
        reference.saveAll(participants);
    }

    /** A statistics table and `statistics-updates` stream of their own, with the participant counter set. */
    StatsSettings statsSettings(String suffix) {
        var s = StatsSettings.from(Map.of("STATISTICS_TABLE", "statistics-" + n + suffix,
                // short: with names of 27 characters kinesis-local's CBOR answers to GetRecords (records of a few KB)
                // could not be read by the SDK ("Unable to unmarshall response"); 10 to 20 characters read fine
                "STATISTICS_UPDATES_STREAM", "updates-" + n + suffix));
        LocalResources.createTables(dynamo, s.shared());
        createStream(s.statisticsUpdatesStream(), 1);
        new ParticipantCounts(dynamo, s.statisticsTable(), s.shared().referenceTable()).recount(eventId);
        return s;
    }

    void createStream(String name, int shards) {
        LocalResources.createStream(kinesis, name, shards);
        streams.add(name);
    }

    @Override
    public void close() {
        for (String stream : streams) {
            try {
                kinesis.deleteStream(b -> b.streamName(stream));
            } catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException gone) {
                // deleted already
            }
        }
        streams.clear();
    }

    AwsClients clients(ExecutionInterceptor... interceptors) {
        return LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(), interceptors);
    }

    /** @param sleeper what the function's waits do: nothing under a fixed clock, move a test's clock */
    StatsFunction statsFunction(StatsSettings s, Clock clock, Sleeper sleeper, ExecutionInterceptor... interceptors) {
        AwsClients c = clients(recorded("StatsFunction", AwsCalls.variables(s), interceptors));
        return new StatsFunction(StatsWiring.updater(c.dynamoDb(), c.kinesis(), s, clock, sleeper));
    }

    StatsClockFunction statsClock(StatsSettings s, Clock clock, ExecutionInterceptor... interceptors) {
        AwsClients c = clients(recorded("StatsClockFunction", AwsCalls.variables(s), interceptors));
        return new StatsClockFunction(StatsWiring.clock(c.dynamoDb(), c.kinesis(), s, clock, d -> {}));
    }

    /** The test's interceptors and the recorder of the function's calls (for the grants test). */
    static ExecutionInterceptor[] recorded(String function, Map<String, String> variables,
                                           ExecutionInterceptor... interceptors) {
        var all = new ArrayList<>(List.of(interceptors));
        all.add(AwsCalls.of(function, variables));
        return all.toArray(ExecutionInterceptor[]::new);
    }

    /** What a fixed clock's waits do: nothing (the clock never moves, so nothing would ever be due). */
    static final Sleeper NO_WAIT = d -> {};

    IngestFunction ingestFunction() {
        AwsClients c = clients(recorded("IngestFunction", AwsCalls.variables(settings)));
        return new IngestFunction(Wiring.gatekeeper(c.dynamoDb(), c.kinesis(), settings, Clock.systemUTC()), GateFeedback.NONE);
    }

    /** Stats mappings retry without limit and bisect: skipping a record would lose a count. */
    KinesisEventSourceMapping mapping(String stream, com.amazonaws.services.lambda.runtime.RequestHandler<
            com.amazonaws.services.lambda.runtime.events.KinesisEvent,
            com.amazonaws.services.lambda.runtime.events.StreamsEventResponse> function, int batchSize, int retries) {
        return new KinesisEventSourceMapping(kinesis, EventSourceMappingConfiguration.builder()
                .streamName(stream)
                .functionName(function.getClass().getSimpleName())
                .batchSize(batchSize)
                .startingPosition(EventSourceMappingConfiguration.StartingPosition.TRIM_HORIZON)
                .maximumRetryAttempts(retries)
                .bisectBatchOnFunctionError(true)
                .reportBatchItemFailures(true)
                .onFailure(onFailure)
                .pollInterval(Duration.ofMillis(10))
                .build(), function);
    }

    private long sequence = 1000;

    /**
     * An accepted scan as `attendance-recorded` carries it.
     *
     * @param at decided then, received a second before, scanned two seconds before
     */
    Map<String, Object> accepted(String participantId, String gateId, Instant at, String direction) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scanId", UUID.randomUUID().toString());
        m.put("eventId", eventId);
        m.put("participantId", participantId);
        m.put("gateId", gateId);
        m.put("outcome", "accepted");
        m.put("timestamp", at.minusSeconds(2).toString());
        m.put("method", "qr_scan");
        m.put("direction", direction);
        m.put("receivedAt", at.minusSeconds(1).toString());
        m.put("decidedAt", at.toString());
        return m;
    }

    /** {@code count} accepted entries of participants p-from.. at a gate, as a Lambda batch of one shard. */
    KinesisEvent recorded(String gateId, int from, int count, Instant at) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) records.add(record(new Entry(eventId + "#p-" + i,
                json(accepted("p-" + i, gateId, at, "entry")))));
        return batch(records);
    }

    /** A record of one shard as Lambda hands it over, with the next sequence number. */
    KinesisEvent.KinesisEventRecord record(Entry entry) {
        var kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(entry.data()));
        kinesis.setPartitionKey(entry.partitionKey());
        kinesis.setSequenceNumber(Long.toString(++sequence));
        kinesis.setApproximateArrivalTimestamp(new Date());
        var record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:" + sequence);
        return record;
    }

    static KinesisEvent batch(List<KinesisEvent.KinesisEventRecord> records) {
        var event = new KinesisEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /**
     * Lambda's loop over one shard without the stream (kinesis-local takes minutes to store tens of thousands of
     * records): batches of {@code size}; a failed batch is bisected, then retried whole, until it passes.
     *
     * @return the failed invocations
     */
    static int runAsLambda(StatsFunction function, List<KinesisEvent.KinesisEventRecord> shard, int size) {
        int from = 0, failures = 0;
        boolean bisectNext = false;
        var context = new com.headcount.local.lambda.LocalContext("StatsFunction", Duration.ofMinutes(5));
        while (from < shard.size()) {
            int n = Math.min(size, shard.size() - from);
            if (bisectNext && n > 1) n = n / 2;
            try {
                function.handleRequest(batch(shard.subList(from, from + n)), context);
                from += n;
                bisectNext = false;
            } catch (RuntimeException injected) {
                failures++;
                bisectNext = !bisectNext;
            }
        }
        return failures;
    }

    record Entry(String partitionKey, byte[] data) {}

    void put(String stream, List<Entry> entries) {
        for (int from = 0; from < entries.size(); from += 500) {
            var chunk = entries.subList(from, Math.min(entries.size(), from + 500)).stream()
                    .map(e -> PutRecordsRequestEntry.builder().partitionKey(e.partitionKey())
                            .data(SdkBytes.fromByteArray(e.data())).build())
                    .toList();
            var response = kinesis.putRecords(b -> b.streamName(stream).records(chunk));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException("the emulator refused records");
            }
        }
    }

    /** Every record of a stream, shard by shard, in order. */
    List<software.amazon.awssdk.services.kinesis.model.Record> read(String stream) {
        return Streams.readAll(kinesis, stream);
    }

    /** The stored records: every accepted outcome of the event in the scans table. */
    List<Outcome> acceptedRecords() {
        List<Outcome> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(settings.scansTable())
                    .filterExpression("eventId = :e AND verdict = :v")
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(eventId), ":v", AttributeValue.fromS("accepted")))
                    .exclusiveStartKey(from));
            page.items().forEach(i -> all.add(OutcomeItems.read(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    static byte[] json(Object message) {
        try {
            return JSON.std.asBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(byte[] json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
