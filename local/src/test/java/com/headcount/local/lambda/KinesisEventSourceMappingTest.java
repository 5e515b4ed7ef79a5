package com.headcount.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.EventSourceMappingConfiguration.StartingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/** The mapping against a real Kinesis emulator process, with a toy function that fails where told to. */
class KinesisEventSourceMappingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger STREAMS = new AtomicInteger();

    private static EmulatorProcess kinesisEmulator;
    private static KinesisClient kinesis;

    @BeforeAll
    static void startKinesis() {
        kinesisEmulator = KinesisEmulator.configured().start(0, null, null);
        kinesis = LocalAws.kinesis(kinesisEmulator.endpoint());
    }

    @AfterAll
    static void stopKinesis() {
        if (kinesis != null) {
            kinesis.close();
        }
        if (kinesisEmulator != null) {
            kinesisEmulator.close();
        }
    }

    @Test
    void deliversEveryShardInOrderInBatchesOfAtMostTheBatchSize() {
        var stream = newStream(2);
        var putOrder = new LinkedHashMap<String, List<String>>();
        var arn = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamARN();
        for (int i = 0; i < 60; i++) {
            var payload = "gate-" + (i % 6) + ":" + i;
            var put = put(stream, "gate-" + (i % 6), payload);
            putOrder.computeIfAbsent(put.shardId(), s -> new ArrayList<>()).add(payload);
        }
        assertEquals(2, putOrder.size(), "six partition keys should land on both shards: " + putOrder.keySet());
        var function = RecordingFunction.succeeding();

        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).batchSize(7).build(), function)) {
            mapping.start().awaitCaughtUp(TIMEOUT);

            var seenOrder = new HashMap<String, List<String>>();
            for (var batch : function.batches()) {
                assertTrue(batch.size() <= 7, "batch of " + batch.size());
                var shards = new HashSet<String>();
                for (var record : batch) {
                    var shardId = record.getEventID().substring(0, record.getEventID().indexOf(':'));
                    shards.add(shardId);
                    seenOrder.computeIfAbsent(shardId, s -> new ArrayList<>()).add(RecordingFunction.data(record));
                    assertEquals(shardId + ":" + record.getKinesis().getSequenceNumber(), record.getEventID());
                    assertEquals("aws:kinesis", record.getEventSource());
                    assertEquals("1.0", record.getEventVersion());
                    assertEquals("aws:kinesis:record", record.getEventName());
                    assertEquals("us-east-1", record.getAwsRegion());
                    assertEquals(arn, record.getEventSourceARN());
                    assertNotNull(record.getInvokeIdentityArn());
                    assertEquals("1.0", record.getKinesis().getKinesisSchemaVersion());
                    assertTrue(RecordingFunction.data(record).startsWith(record.getKinesis().getPartitionKey() + ":"));
                    assertNotNull(record.getKinesis().getApproximateArrivalTimestamp());
                }
                assertEquals(1, shards.size(), "a batch comes from one shard");
            }
            assertEquals(putOrder, seenOrder, "every record once, in order per shard");
            var counters = mapping.counters();
            assertEquals(60, counters.recordsDelivered());
            assertEquals(function.batches().size(), counters.invocations());
            assertEquals(0, counters.retries());
            var context = function.contexts().getFirst();
            assertEquals("local-function", context.getFunctionName());
            assertTrue(context.getRemainingTimeInMillis() <= 60_000);
            assertNotNull(context.getAwsRequestId());
        }
    }

    @Test
    void partialFailureRedeliversFromTheLowestFailedRecordOn() {
        var stream = newStream(1);
        var sequenceNumbers = putAll(stream, 10);
        var function = new RecordingFunction((n, records) -> n == 0
                ? RecordingFunction.failing(records, "r6", "r3")
                : new StreamsEventResponse(List.of()));

        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).batchSize(10).build(), function)) {
            mapping.pollUntilCaughtUp(TIMEOUT);

            assertEquals(List.of(payloads(0, 10), payloads(3, 10)), function.batchData());
            assertEquals(sequenceNumbers.getLast(), mapping.checkpoints().values().iterator().next());
            assertEquals(1, mapping.counters().partialFailures());
            assertEquals(1, mapping.counters().retries());
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "not-a-sequence-number"})
    void anItemIdentifierNotInTheBatchFailsTheWholeBatch(String itemIdentifier) {
        var stream = newStream(1);
        putAll(stream, 5);
        var function = new RecordingFunction((n, records) -> n == 0
                ? new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(itemIdentifier)))
                : new StreamsEventResponse(List.of()));

        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).build(), function)) {
            mapping.pollUntilCaughtUp(TIMEOUT);

            assertEquals(List.of(payloads(0, 5), payloads(0, 5)), function.batchData());
        }
    }

    @Test
    void bisectionIsolatesAPoisonRecordThatGoesToTheOnFailureDestination() {
        var stream = newStream(1);
        putAll(stream, 8);
        var function = new RecordingFunction((n, records) -> {
            if (records.stream().anyMatch(r -> RecordingFunction.data(r).equals("r5"))) {
                throw new IllegalArgumentException("poison");
            }
            return null;
        });
        var destination = new InMemoryOnFailureDestination();
        var configuration = config(stream).batchSize(8).bisectBatchOnFunctionError(true).maximumRetryAttempts(2)
                .onFailure(destination).build();

        try (var mapping = new KinesisEventSourceMapping(kinesis, configuration, function)) {
            mapping.pollUntilCaughtUp(TIMEOUT);

            assertEquals(List.of(
                    payloads(0, 8),
                    payloads(0, 4), payloads(4, 8),
                    List.of("r4", "r5"), List.of("r4"),
                    List.of("r5"), List.of("r5"), List.of("r5"),
                    List.of("r6", "r7")), function.batchData());
            assertEquals(List.of("r5"), destination.records().stream().map(RecordingFunction::data).toList());
            var failed = destination.batches().getFirst();
            assertEquals(1, failed.batchSize());
            assertEquals(failed.startSequenceNumber(), failed.endSequenceNumber());
            assertEquals(3, failed.approximateInvokeCount(), "the first try and two retries");
            assertEquals("RetryAttemptsExhausted", failed.condition());
            var counters = mapping.counters();
            assertEquals(1, counters.recordsSentToOnFailure());
            assertEquals(3, counters.bisections());
        }
    }

    @Test
    void exhaustedRetriesWithoutBisectionGiveUpFromTheFailedRecordToTheBatchEnd() {
        var stream = newStream(1);
        var sequenceNumbers = putAll(stream, 6);
        var function = new RecordingFunction((n, records) -> RecordingFunction.failing(records, "r2"));
        var destination = new InMemoryOnFailureDestination();
        var configuration = config(stream).batchSize(4).maximumRetryAttempts(1).onFailure(destination).build();

        try (var mapping = new KinesisEventSourceMapping(kinesis, configuration, function)) {
            mapping.pollUntilCaughtUp(TIMEOUT);

            assertEquals(List.of(payloads(0, 4), List.of("r2", "r3", "r4", "r5")), function.batchData(),
                    "the one retry reads on from the failed record, up to the batch size");
            assertEquals(List.of("r2", "r3", "r4", "r5"),
                    destination.records().stream().map(RecordingFunction::data).toList());
            var failed = destination.batches().getFirst();
            assertEquals(sequenceNumbers.get(2), failed.startSequenceNumber());
            assertEquals(sequenceNumbers.get(5), failed.endSequenceNumber());
            assertEquals(2, failed.approximateInvokeCount());
            assertEquals(sequenceNumbers.getLast(), mapping.checkpoints().values().iterator().next());
        }
    }

    @Test
    void latestSkipsWhatWasThereBeforeTheStart() {
        var stream = newStream(1);
        put(stream, "gate", "before");
        var function = RecordingFunction.succeeding();
        var configuration = config(stream).startingPosition(StartingPosition.LATEST).build();

        try (var mapping = new KinesisEventSourceMapping(kinesis, configuration, function)) {
            mapping.start();
            put(stream, "gate", "after");
            mapping.awaitCaughtUp(TIMEOUT);

            assertEquals(List.of(List.of("after")), function.batchData());
        }
    }

    @Test
    void theBatchingWindowGathersRecordsThatArriveWithinIt() {
        var stream = newStream(1);
        var function = RecordingFunction.succeeding();
        var configuration = config(stream).maximumBatchingWindow(Duration.ofMillis(700)).build();

        try (var mapping = new KinesisEventSourceMapping(kinesis, configuration, function)) {
            mapping.start();
            putAll(stream, 3);
            mapping.awaitCaughtUp(TIMEOUT);

            assertEquals(List.of(payloads(0, 3)), function.batchData());
        }
    }

    @Test
    void readsAParentShardToItsEndBeforeItsChildren() {
        var stream = newStream(1);
        putAll(stream, 5);
        // SplitShard, not UpdateShardCount: kinesalite has only the former
        kinesis.splitShard(r -> r.streamName(stream).shardToSplit("shardId-000000000000")
                .newStartingHashKey(java.math.BigInteger.TWO.pow(127).toString()));
        LocalAws.awaitStreamActive(kinesis, stream, TIMEOUT);
        var childShards = new HashSet<String>();
        for (int i = 5; i < 25; i++) {
            var payload = "r" + i;
            childShards.add(put(stream, "gate-" + i, payload).shardId());
        }
        assertEquals(2, childShards.size(), "twenty keys should land on both children: " + childShards);
        var function = RecordingFunction.succeeding();

        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).batchSize(3).build(), function)) {
            mapping.start().awaitCaughtUp(TIMEOUT);

            var seen = function.batchData().stream().flatMap(List::stream).toList();
            assertEquals(payloads(0, 5), seen.subList(0, 5), "the parent's records first, in order: " + seen);
            assertEquals(new HashSet<>(payloads(0, 25)), new HashSet<>(seen));
            assertEquals(25, seen.size(), "each record once: " + seen);
            assertEquals(3, mapping.checkpoints().size(), "the parent and both children: " + mapping.checkpoints());
        }
    }

    @Test
    void aRestartResumesAfterTheSavedCheckpointsAndDeliversEachRecordOnce(@TempDir Path data) {
        var stream = newStream(2);
        for (int i = 0; i < 40; i++) {
            put(stream, "gate-" + (i % 4), "r" + i);
        }
        var checkpoints = data.resolve("IngestFunction-scans.json");
        var first = RecordingFunction.succeeding();
        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).batchSize(5).build(), first)
                .withCheckpoints(Checkpoints.inFile(checkpoints))) {
            // stopped mid-stream: a few batches per shard, not all
            for (int step = 0; step < 3; step++) {
                mapping.drainOnce();
            }
        }
        int firstRun = first.batchData().stream().mapToInt(List::size).sum();
        assertTrue(firstRun > 0 && firstRun < 40, "the first run stopped mid-stream after " + firstRun);
        for (int i = 40; i < 50; i++) {
            put(stream, "gate-" + (i % 4), "r" + i);
        }

        var second = RecordingFunction.succeeding();
        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).batchSize(5).build(), second)
                .withCheckpoints(Checkpoints.inFile(checkpoints))) {
            mapping.pollUntilCaughtUp(TIMEOUT);
        }

        var delivered = new ArrayList<String>();
        first.batchData().forEach(delivered::addAll);
        second.batchData().forEach(delivered::addAll);
        var counts = new HashMap<String, Integer>();
        delivered.forEach(p -> counts.merge(p, 1, Integer::sum));
        assertEquals(new HashSet<>(payloads(0, 50)), counts.keySet());
        assertEquals(Map.of(), Map.copyOf(counts.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))), "each record once");
    }

    @Test
    void checkpointsOfAnotherStreamAreIgnored(@TempDir Path data) {
        var checkpoints = data.resolve("shared.json");
        var other = newStream(1);
        putAll(other, 3);
        try (var mapping = new KinesisEventSourceMapping(kinesis, config(other).build(), RecordingFunction.succeeding())
                .withCheckpoints(Checkpoints.inFile(checkpoints))) {
            mapping.pollUntilCaughtUp(TIMEOUT);
        }
        var stream = newStream(1);
        putAll(stream, 5);
        var function = RecordingFunction.succeeding();

        try (var mapping = new KinesisEventSourceMapping(kinesis, config(stream).build(), function)
                .withCheckpoints(Checkpoints.inFile(checkpoints))) {
            mapping.pollUntilCaughtUp(TIMEOUT);
        }

        assertEquals(List.of(payloads(0, 5)), function.batchData());
    }

    @Test
    void aBatchThatKeepsFailingIsReportedWithTheFunctionsOwnErrorAndItsLogFile(@TempDir Path logs) throws Exception {
        var stream = newStream(1);
        putAll(stream, 3);
        var healthy = new java.util.concurrent.atomic.AtomicBoolean();
        var function = new RecordingFunction((n, records) -> {
            if (!healthy.get()) {
                throw new IllegalStateException("table headcount-scans unreachable");
            }
            return null;
        });
        var console = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var log = FunctionLog.inFolder(logs, "IngestFunction");

        try (var mapping = new KinesisEventSourceMapping(kinesis,
                config(stream).functionName("IngestFunction").maximumRetryAttempts(-1).build(), function)
                .withFunctionLog(log).withConsole(console::add)) {
            for (int step = 0; step < ShardPoller.STUCK_AFTER; step++) {
                mapping.drainOnce();
            }
            assertEquals(List.of(), console, "a few tries are not news");
            mapping.drainOnce();
            assertEquals(1, console.size(), console.toString());
            assertTrue(console.getFirst().contains("failed 4 times in a row"), console.getFirst());
            assertTrue(console.getFirst().contains("table headcount-scans unreachable"), console.getFirst());
            assertTrue(console.getFirst().contains(log.file().toString()), console.getFirst());

            healthy.set(true);
            mapping.pollUntilCaughtUp(TIMEOUT);
            assertEquals(2, console.size(), console.toString());
            assertTrue(console.get(1).contains("moved on after 4 tries"), console.get(1));
        }
        var logged = Files.readString(log.file());
        assertEquals(4, logged.split("java.lang.IllegalStateException: table headcount-scans unreachable", -1).length - 1,
                "each failed invocation's error in the function's log:\n" + logged);
    }

    @Test
    void anIdleShardIsReadAtMostFiveTimesASecond() throws InterruptedException {
        var stream = newStream(1);
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var counted = LocalAws.clients(kinesisEmulator.endpoint(), kinesisEmulator.endpoint(),
                new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                        if (context.request() instanceof software.amazon.awssdk.services.kinesis.model.GetRecordsRequest) {
                            reads.incrementAndGet();
                        }
                    }
                }).kinesis();
        var configuration = EventSourceMappingConfiguration.builder().streamName(stream).build();

        try (counted; var mapping = new KinesisEventSourceMapping(counted, configuration, RecordingFunction.succeeding())) {
            mapping.start().awaitCaughtUp(TIMEOUT);
            int before = reads.get();
            long started = System.nanoTime();
            Thread.sleep(2_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            int idleReads = reads.get() - before;
            assertTrue(idleReads <= Math.ceil(seconds * 5) + 1, idleReads + " reads in " + seconds + " s");
            assertTrue(idleReads > 0, "it keeps reading");
        }
    }

    private static EventSourceMappingConfiguration.Builder config(String stream) {
        return EventSourceMappingConfiguration.builder().streamName(stream).pollInterval(Duration.ofMillis(10));
    }

    private static String newStream(int shards) {
        var name = "scans-" + STREAMS.incrementAndGet();
        LocalAws.createStream(kinesis, name, shards);
        return name;
    }

    private static PutRecordResponse put(String stream, String partitionKey, String payload) {
        return kinesis.putRecord(r -> r.streamName(stream).partitionKey(partitionKey)
                .data(SdkBytes.fromUtf8String(payload)));
    }

    /** Puts r0..r(n-1) under one partition key and returns their sequence numbers. */
    private static List<String> putAll(String stream, int n) {
        return IntStream.range(0, n).mapToObj(i -> put(stream, "gate", "r" + i).sequenceNumber()).toList();
    }

    private static List<String> payloads(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "r" + i).toList();
    }
}
