package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.headcount.local.lambda.EventSourceMappingConfiguration.StartingPosition;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * What Lambda's event source mapping does for a Kinesis stream, in this JVM: one poller per shard reads
 * the shard in order and calls the real handler with a {@link KinesisEvent}, honouring batch size and
 * window, partial batch responses, retries, bisection and the on-failure destination.
 *
 * <p>Either {@link #start()} it (a virtual thread per shard, shards re-listed every second) and
 * {@link #awaitCaughtUp(Duration)}, or drive it from the test's own thread with {@link #pollUntilCaughtUp(Duration)}.
 * The handler is one instance shared by all shards, so it is called concurrently when the stream has several.
 */
public final class KinesisEventSourceMapping implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KinesisEventSourceMapping.class.getName());
    private static final Duration SHARD_LISTING_INTERVAL = Duration.ofSeconds(1);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final KinesisClient kinesis;
    private final EventSourceMappingConfiguration configuration;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> function;
    private final Tally tally = new Tally();
    private MappingServices services;
    private final Map<String, ShardPoller> pollers = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private String streamArn;
    private long listedAtNanos;
    private Thread shardLister;
    private volatile boolean running;
    private volatile boolean closed;

    public KinesisEventSourceMapping(KinesisClient kinesis, EventSourceMappingConfiguration configuration,
                                     RequestHandler<KinesisEvent, StreamsEventResponse> function) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.function = Objects.requireNonNull(function, "function");
        this.services = MappingServices.defaults(configuration.functionName());
    }

    /** Keeps checkpoints there (a file: a restart resumes after them); in memory by default. Before the start. */
    public synchronized KinesisEventSourceMapping withCheckpoints(Checkpoints checkpoints) {
        requireNotStarted();
        services = new MappingServices(checkpoints, services.log(), services.console());
        return this;
    }

    /** The function logs there (its log group); the JVM's logger by default. Before the start. */
    public synchronized KinesisEventSourceMapping withFunctionLog(FunctionLog log) {
        requireNotStarted();
        services = new MappingServices(services.checkpoints(), log, services.console());
        return this;
    }

    /** Where a line goes when a batch keeps failing (a WARNING log by default). Before the start. */
    public synchronized KinesisEventSourceMapping withConsole(java.util.function.Consumer<String> console) {
        requireNotStarted();
        services = new MappingServices(services.checkpoints(), services.log(), console);
        return this;
    }

    private void requireNotStarted() {
        if (streamArn != null) {
            throw new IllegalStateException("already reading " + configuration.streamName());
        }
    }

    /**
     * What the mapping has done so far, summed over its shards.
     *
     * @param recordsDelivered       records handed to the function, each redelivery counted again
     * @param partialFailures        invocations that answered with batchItemFailures
     * @param retries                failed invocations that were followed by another try (bisections included)
     * @param recordsSentToOnFailure records given up on after their retries were exhausted
     * @param recordsDone            records moved past (succeeded or given up on), each once
     */
    public record Counters(
            long invocations,
            long recordsDelivered,
            long functionErrors,
            long partialFailures,
            long retries,
            long bisections,
            long recordsSentToOnFailure,
            long recordsDone) {
    }

    public EventSourceMappingConfiguration configuration() {
        return configuration;
    }

    public Counters counters() {
        return tally.snapshot();
    }

    /** How far the slowest shard's last read was behind the tip of the stream (Kinesis's MillisBehindLatest). */
    public synchronized long millisBehindLatest() {
        return pollers.values().stream().mapToLong(ShardPoller::millisBehindLatest).max().orElse(0);
    }

    /** Per shard id, the sequence number of the last record moved past (absent before the first). */
    public synchronized Map<String, String> checkpoints() {
        return pollers.values().stream()
                .filter(p -> p.checkpoint() != null)
                .collect(Collectors.toMap(ShardPoller::shardId, ShardPoller::checkpoint));
    }

    /** Lists the shards, takes their starting positions, and polls each on its own virtual thread. */
    public synchronized KinesisEventSourceMapping start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (running) {
            return this;
        }
        running = true;
        listShards();
        shardLister = Thread.ofVirtual().name("esm-" + configuration.streamName() + "-shards")
                .start(this::relistShards);
        return this;
    }

    /**
     * Returns once every shard has been read to its end as of this call, every record read has been
     * moved past (succeeded or sent to the on-failure destination) and no invocation is in flight.
     *
     * @throws IllegalStateException naming the shards still behind when the timeout passes
     */
    public void awaitCaughtUp(Duration timeout) {
        if (!running) {
            throw new IllegalStateException("not started: start() it, or use pollUntilCaughtUp");
        }
        long since = System.nanoTime();
        listShards();
        var deadline = since + timeout.toNanos();
        while (!caughtUpSince(since)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not caught up after " + timeout + ": " + behind(since));
            }
            rest(Duration.ofMillis(5));
        }
    }

    /**
     * Polls every shard from the calling thread until the mapping has caught up as of this call, as
     * {@link #awaitCaughtUp(Duration)} defines it. For tests that want no threads of the mapping's own.
     */
    public void pollUntilCaughtUp(Duration timeout) {
        if (running) {
            throw new IllegalStateException("started: its own threads are polling, use awaitCaughtUp");
        }
        long since = System.nanoTime();
        var deadline = since + timeout.toNanos();
        listShards();
        while (true) {
            boolean progressed = drainOnce();
            if (caughtUpSince(since)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not caught up after " + timeout + ": " + behind(since));
            }
            if (!progressed) {
                rest(configuration.pollInterval());
            }
        }
    }

    /** One step of every shard on the calling thread: at most one read and one invocation each. */
    public boolean drainOnce() {
        if (running) {
            throw new IllegalStateException("started: its own threads are polling");
        }
        boolean progressed = false;
        var shards = listingDue() ? listShards() : knownPollers();
        for (var poller : shards) {
            progressed |= poller.step();
        }
        return progressed;
    }

    /** Stops polling; an invocation in flight is let finish. */
    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            closed = true;
            running = false;
            toJoin = List.copyOf(threads);
            if (shardLister != null) {
                shardLister.interrupt();
            }
        }
        for (var thread : toJoin) {
            try {
                if (!thread.join(STOP_GRACE)) {
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized boolean listingDue() {
        return pollers.isEmpty() || System.nanoTime() - listedAtNanos > SHARD_LISTING_INTERVAL.toNanos();
    }

    private synchronized List<ShardPoller> knownPollers() {
        return List.copyOf(pollers.values());
    }

    private synchronized boolean caughtUpSince(long since) {
        return pollers.values().stream().allMatch(p -> p.caughtUpSince(since));
    }

    private synchronized String behind(long since) {
        return pollers.values().stream()
                .filter(p -> !p.caughtUpSince(since))
                .map(p -> p.shardId() + " (checkpoint " + p.checkpoint() + ", " + p.pendingCount() + " read, not done)")
                .collect(Collectors.joining(", "));
    }

    /** Adds a poller for each shard not seen before; a child shard's poller waits for its parents to finish. */
    private synchronized List<ShardPoller> listShards() {
        if (streamArn == null) {
            var summary = kinesis.describeStreamSummary(r -> r.streamName(configuration.streamName()))
                    .streamDescriptionSummary();
            services.checkpoints().open(summary.streamARN() + " created " + summary.streamCreationTimestamp());
            streamArn = summary.streamARN();
        }
        boolean first = pollers.isEmpty();
        listedAtNanos = System.nanoTime();
        for (Shard shard : allShards()) {
            if (pollers.containsKey(shard.shardId())) {
                continue;
            }
            boolean fromLatest = first && configuration.startingPosition() == StartingPosition.LATEST;
            var parents = new ArrayList<ShardPoller>();
            for (var parentId : new String[] {shard.parentShardId(), shard.adjacentParentShardId()}) {
                // at LATEST, a closed parent has nothing to give before its children
                if (parentId != null && pollers.containsKey(parentId) && !fromLatest) {
                    parents.add(pollers.get(parentId));
                }
            }
            // shards that appear later were made by resharding: Lambda reads them from their start
            var position = fromLatest ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
            var poller = new ShardPoller(kinesis, configuration, function, streamArn, shard.shardId(), position,
                    parents, tally, services);
            pollers.put(shard.shardId(), poller);
            if (running) {
                threads.add(Thread.ofVirtual().name("esm-" + shard.shardId()).start(() -> poll(poller)));
            }
        }
        return List.copyOf(pollers.values());
    }

    private List<Shard> allShards() {
        var shards = new ArrayList<Shard>();
        var page = kinesis.listShards(r -> r.streamName(configuration.streamName()));
        shards.addAll(page.shards());
        while (page.nextToken() != null) {
            // a NextToken request must not name the stream again
            var token = page.nextToken();
            page = kinesis.listShards(r -> r.nextToken(token));
            shards.addAll(page.shards());
        }
        return shards;
    }

    /**
     * As Lambda does: a read that brought records is followed by the next at once; after one that found nothing the
     * shard rests so that it is read at most once per poll interval (Kinesis allows 5 reads a second per shard).
     */
    private void poll(ShardPoller poller) {
        while (running) {
            try {
                long started = System.nanoTime();
                if (!poller.step()) {
                    rest(configuration.pollInterval().minusNanos(System.nanoTime() - started));
                } else {
                    rest(poller.retryPause());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "polling " + poller.shardId() + " failed, trying again", e);
                rest(Duration.ofMillis(500));
            }
        }
    }

    private void relistShards() {
        while (running) {
            try {
                rest(SHARD_LISTING_INTERVAL);
                if (running) {
                    listShards();
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "listing the shards of " + configuration.streamName() + " failed", e);
                }
            }
        }
    }

    private static void rest(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
