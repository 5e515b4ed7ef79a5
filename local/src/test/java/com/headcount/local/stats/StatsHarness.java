package com.headcount.local.stats;

import com.headcount.local.testing.Emulators;
import com.headcount.local.testing.Streams;

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
import com.headcount.core.stats.AlertChannel;
import com.headcount.handlers.IngestFunction;
import com.headcount.handlers.StatsFunction;
import com.headcount.handlers.StatsSettings;
import com.headcount.handlers.StatsWiring;
import com.headcount.handlers.Wiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.EventSourceMappingConfiguration;
import com.headcount.local.lambda.InMemoryOnFailureDestination;
import com.headcount.local.lambda.KinesisEventSourceMapping;
import com.headcount.local.stack.LocalResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
final class StatsHarness {

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
                "STATISTICS_UPDATES_STREAM", "statistics-updates-" + n + suffix));
        LocalResources.createTables(dynamo, s.shared());
        LocalResources.createStream(kinesis, s.statisticsUpdatesStream(), 1);
        new ParticipantCounts(dynamo, s.statisticsTable(), s.shared().referenceTable()).recount(eventId);
        return s;
    }

    AwsClients clients(ExecutionInterceptor... interceptors) {
        return LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(), interceptors);
    }

    StatsFunction statsFunction(StatsSettings s, Clock clock, List<AlertChannel> channels, ExecutionInterceptor... interceptors) {
        AwsClients c = clients(interceptors);
        return new StatsFunction(StatsWiring.updater(c.dynamoDb(), c.kinesis(), s, channels, clock));
    }

    IngestFunction ingestFunction() {
        AwsClients c = clients();
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
