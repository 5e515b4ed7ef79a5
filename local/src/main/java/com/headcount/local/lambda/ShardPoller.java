package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * One shard's share of the mapping: reads the shard in order and calls the function with one batch at a
 * time, moving its checkpoint only past records that succeeded or were given up on.
 * Not thread-safe: exactly one thread calls {@link #step()}; the volatile fields are for observers.
 */
final class ShardPoller {

    private static final System.Logger LOG = System.getLogger(ShardPoller.class.getName());
    /** "More than a few times": past this many tries of one batch the console hears of it. */
    static final int STUCK_AFTER = 3;
    private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);

    private final KinesisClient kinesis;
    private final EventSourceMappingConfiguration config;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> function;
    private final String streamArn;
    private final String shardId;
    private final List<ShardPoller> parents;
    private final Tally tally;
    private final MappingServices services;

    private final ShardIteratorType startingPosition;
    private String iterator;
    private String lastFetchedSequenceNumber;
    private boolean shardEnded;
    private boolean drained;
    /** Fetched and not yet moved past: the head is the record after the checkpoint. */
    private final Deque<Record> pending = new ArrayDeque<>();
    private long pendingSinceNanos;
    private boolean windowElapsed;
    /** Sizes of the bisected halves still to deliver, the next one on top; empty means "a full batch". */
    private final Deque<Integer> bisectedSizes = new ArrayDeque<>();
    /** Set by the last invocation when it failed as a whole (an error, or an identifier not in the batch). */
    private boolean wholeBatchFailed;
    /** The function's own account of the last failure: what it threw, or the last line it logged. */
    private String lastError;
    private String retriedBatch;
    private int sameBatchTries;
    private String failingSequenceNumber;
    private int failedAttempts;

    private volatile String checkpoint;
    private volatile long millisBehindLatest;
    private volatile int pendingCount;
    private volatile boolean idleObserved;
    private volatile long idleObservedAtNanos;
    private volatile boolean finished;

    ShardPoller(KinesisClient kinesis, EventSourceMappingConfiguration config,
                RequestHandler<KinesisEvent, StreamsEventResponse> function, String streamArn, String shardId,
                ShardIteratorType startingPosition, List<ShardPoller> parents, Tally tally, MappingServices services) {
        this.kinesis = kinesis;
        this.config = config;
        this.function = function;
        this.streamArn = streamArn;
        this.shardId = shardId;
        this.startingPosition = startingPosition;
        this.tally = tally;
        this.services = services;
        var saved = services.checkpoints().of(shardId);
        // a shard with a saved checkpoint was being read, so its parents were done with: resume after it
        this.parents = saved.isPresent() ? List.of() : List.copyOf(parents);
        saved.ifPresent(sequence -> {
            checkpoint = sequence;
            lastFetchedSequenceNumber = sequence;
        });
        if (this.parents.isEmpty()) {
            // LATEST means "from when the mapping started", not from whenever the first poll happens
            iterator = newIterator();
        }
    }

    String shardId() {
        return shardId;
    }

    /** The sequence number of the last record the shard has moved past, null before the first. */
    String checkpoint() {
        return checkpoint;
    }

    boolean finished() {
        return finished;
    }

    /** True when a read that started after the given instant found the shard drained and nothing is in hand. */
    boolean caughtUpSince(long nanos) {
        return finished || idleObserved && idleObservedAtNanos - nanos > 0;
    }

    /**
     * Reads once if the batch is not full and, when a batch is due, calls the function with it.
     *
     * @return whether anything happened, so that a poller with nothing to do can rest
     */
    boolean step() {
        if (finished || parents.stream().anyMatch(p -> !p.finished())) {
            return false;
        }
        long started = System.nanoTime();
        boolean fetched = false;
        if (bisectedSizes.isEmpty() && pending.size() < config.batchSize() && !shardEnded) {
            fetched = fetch(config.batchSize() - pending.size());
        }
        if (pending.isEmpty()) {
            if (shardEnded) {
                finished = true;
            } else if (drained) {
                idleObservedAtNanos = started;
                idleObserved = true;
            }
            return fetched;
        }
        if (bisectedSizes.isEmpty() && pending.size() < config.batchSize() && windowStillOpen()) {
            return fetched;
        }
        deliver(bisectedSizes.isEmpty() ? Math.min(pending.size(), config.batchSize()) : bisectedSizes.peek());
        return true;
    }

    private boolean windowStillOpen() {
        return !windowElapsed && !shardEnded
                && System.nanoTime() - pendingSinceNanos < config.maximumBatchingWindow().toNanos();
    }

    private boolean fetch(int limit) {
        if (iterator == null) {
            iterator = newIterator();
        }
        drained = false;
        try {
            var response = kinesis.getRecords(r -> r.shardIterator(iterator).limit(limit));
            iterator = response.nextShardIterator();
            shardEnded = iterator == null;
            var records = response.records();
            var behind = response.millisBehindLatest();
            millisBehindLatest = behind == null ? 0 : behind;
            drained = records.isEmpty() && (behind == null || behind == 0);
            if (records.isEmpty()) {
                return false;
            }
            if (pending.isEmpty()) {
                pendingSinceNanos = System.nanoTime();
                windowElapsed = false;
            }
            pending.addAll(records);
            pendingCount = pending.size();
            lastFetchedSequenceNumber = records.getLast().sequenceNumber();
            return true;
        } catch (ExpiredIteratorException e) {
            iterator = null;
            return false;
        } catch (ProvisionedThroughputExceededException e) {
            LOG.log(Level.DEBUG, "{0} throttled, reading again on the next poll", shardId);
            return false;
        }
    }

    private String newIterator() {
        var after = lastFetchedSequenceNumber;
        try {
            return iteratorAfter(after);
        } catch (InvalidArgumentException e) {
            if (after == null || !after.equals(services.checkpoints().of(shardId).orElse(null))) {
                throw e;
            }
            LOG.log(Level.WARNING, "{0} {1}: saved checkpoint {2} refused ({3}); reading from {4}",
                    config.functionName(), shardId, after, e.getMessage(), startingPosition);
            lastFetchedSequenceNumber = null;
            return iteratorAfter(null);
        }
    }

    private String iteratorAfter(String after) {
        return kinesis.getShardIterator(r -> {
            r.streamName(config.streamName()).shardId(shardId);
            if (after != null) {
                r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(after);
            } else {
                r.shardIteratorType(startingPosition);
            }
        }).shardIterator();
    }

    private void deliver(int size) {
        var batch = new ArrayList<Record>(size);
        var it = pending.iterator();
        for (int i = 0; i < size; i++) {
            batch.add(it.next());
        }
        wholeBatchFailed = false;
        lastError = null;
        int failedAt = invoke(batch);
        if (failedAt == batch.size()) {
            moveForward(size, size);
            failingSequenceNumber = null;
            noteSucceeded();
            return;
        }
        noteFailed(batch.get(failedAt).sequenceNumber(), size - failedAt);
        // A reported item failure is not bisected: Lambda splits the batch at the returned sequence number,
        // which is what resuming from the lowest failed record does.
        if (wholeBatchFailed && config.bisectBatchOnFunctionError() && size > 1) {
            // splitting does not count towards the retry quota, as in Lambda
            if (!bisectedSizes.isEmpty()) {
                bisectedSizes.pop();
            }
            bisectedSizes.push(size - size / 2);
            bisectedSizes.push(size / 2);
            failingSequenceNumber = null;
            tally.bisections.increment();
            tally.retries.increment();
            return;
        }
        // the checkpoint goes to just before the lowest failed record; it and all after it come again
        moveForward(failedAt, size);
        var retryFrom = batch.get(failedAt).sequenceNumber();
        failedAttempts = retryFrom.equals(failingSequenceNumber) ? failedAttempts + 1 : 1;
        failingSequenceNumber = retryFrom;
        if (config.retriesForever() || failedAttempts <= config.maximumRetryAttempts()) {
            tally.retries.increment();
            return;
        }
        var givenUp = batch.subList(failedAt, batch.size());
        config.onFailure().send(failedBatch(givenUp, failedAttempts));
        tally.recordsSentToOnFailure.add(givenUp.size());
        moveForward(givenUp.size(), size - failedAt);
        failingSequenceNumber = null;
    }

    /**
     * Counts the failed tries in a row that stopped at the same record (a batch retried from there; bisection halves
     * that start there count too) and says so on the console past {@link #STUCK_AFTER} of them, then at every
     * doubling, with the function's own error.
     */
    private void noteFailed(String firstFailed, int records) {
        sameBatchTries = firstFailed.equals(retriedBatch) ? sameBatchTries + 1 : 1;
        retriedBatch = firstFailed;
        if (sameBatchTries > STUCK_AFTER && Integer.bitCount(sameBatchTries - STUCK_AFTER) == 1) {
            services.console().accept(String.format("%s is stuck on %s: the batch from record %s (%d records) "
                            + "failed %d times in a row; the function said: %s (its log: %s)", config.functionName(),
                    shardId, firstFailed, records, sameBatchTries, lastError, services.logName()));
        }
    }

    private void noteSucceeded() {
        if (sameBatchTries > STUCK_AFTER) {
            services.console().accept(String.format("%s on %s moved on after %d tries of the same batch",
                    config.functionName(), shardId, sameBatchTries));
        }
        sameBatchTries = 0;
        retriedBatch = null;
    }

    /** How long to wait before the next try: nothing at first, then longer while the same batch keeps failing. */
    Duration retryPause() {
        if (sameBatchTries <= STUCK_AFTER) {
            return Duration.ZERO;
        }
        long millis = Math.min(MAX_RETRY_PAUSE.toMillis(), 100L << Math.min(10, sameBatchTries - STUCK_AFTER));
        return Duration.ofMillis(millis);
    }

    /** Moves the checkpoint past the first {@code count} pending records, out of a batch of {@code size}. */
    private void moveForward(int count, int size) {
        if (count == 0) {
            return;
        }
        Record last = null;
        for (int i = 0; i < count; i++) {
            last = pending.removeFirst();
        }
        checkpoint = last.sequenceNumber();
        tally.recordsDone.add(count);
        services.checkpoints().moved(shardId, checkpoint);
        pendingCount = pending.size();
        if (!bisectedSizes.isEmpty()) {
            bisectedSizes.pop();
            if (count < size) {
                bisectedSizes.push(size - count);
            }
        }
        if (!pending.isEmpty()) {
            // the rest were already waiting: no batching window for them
            windowElapsed = true;
        }
    }

    /** @return the index of the lowest failed record, the batch's size when all succeeded */
    private int invoke(List<Record> batch) {
        var event = KinesisEventRecords.event(batch, streamArn, shardId, config.functionName());
        var context = new LocalContext(config.functionName(), config.functionTimeout(), services.log());
        tally.invocations.increment();
        tally.recordsDelivered.add(batch.size());
        StreamsEventResponse response;
        long started = System.nanoTime();
        try {
            response = function.handleRequest(event, context);
            // as Lambda ends each invocation's log: how long it ran, here with the records it was given
            services.log().log(context.getAwsRequestId(), String.format("REPORT Duration: %.1f ms Records: %d",
                    (System.nanoTime() - started) / 1e6, batch.size()));
        } catch (Throwable e) {
            // Lambda treats anything the function throws as a failure of the whole batch
            tally.functionErrors.increment();
            wholeBatchFailed = true;
            lastError = e.toString();
            services.log().error(context.getAwsRequestId(), e);
            LOG.log(Level.DEBUG, "{0} {1}: function error on {2} records: {3}",
                    config.functionName(), shardId, batch.size(), e.toString());
            return 0;
        }
        if (!config.reportBatchItemFailures() || response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return batch.size();
        }
        tally.partialFailures.increment();
        lastError = context.lastLogged() == null ? "(nothing logged; it reported a batch item failure)" : context.lastLogged();
        var indexBySequence = new HashMap<String, Integer>();
        for (int i = 0; i < batch.size(); i++) {
            indexBySequence.put(batch.get(i).sequenceNumber(), i);
        }
        int lowest = batch.size();
        for (var failure : response.getBatchItemFailures()) {
            var index = failure == null ? null : indexBySequence.get(failure.getItemIdentifier());
            if (index == null) {
                // Lambda fails the whole batch on an identifier that is empty or not in it
                LOG.log(Level.WARNING, "{0} {1}: itemIdentifier {2} is not in the batch, retrying all of it",
                        config.functionName(), shardId, failure == null ? null : failure.getItemIdentifier());
                wholeBatchFailed = true;
                lastError = "itemIdentifier " + (failure == null ? null : failure.getItemIdentifier()) + " is not in the batch";
                return 0;
            }
            lowest = Math.min(lowest, index);
        }
        return lowest;
    }

    private FailedBatch failedBatch(List<Record> records, int invokeCount) {
        var events = records.stream()
                .map(r -> KinesisEventRecords.eventRecord(r, streamArn, shardId, config.functionName()))
                .toList();
        return new FailedBatch(streamArn, shardId, records.getFirst().sequenceNumber(),
                records.getLast().sequenceNumber(), records.getFirst().approximateArrivalTimestamp(),
                records.getLast().approximateArrivalTimestamp(), records.size(), "RetryAttemptsExhausted",
                invokeCount, config.functionName(), Instant.now(), events);
    }

    long millisBehindLatest() {
        return millisBehindLatest;
    }

    /** Records read and not yet moved past; for messages, from any thread. */
    int pendingCount() {
        return pendingCount;
    }
}
