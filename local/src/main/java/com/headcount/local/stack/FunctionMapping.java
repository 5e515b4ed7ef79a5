package com.headcount.local.stack;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;

/**
 * One Lambda event source mapping of the deployment: which stream feeds which handler, in what batches.
 *
 * @param batchingWindow Lambda's MaximumBatchingWindowInSeconds: how long records may wait for more to join them
 */
public record FunctionMapping(String functionName, String streamName, int batchSize, Duration batchingWindow,
                              RequestHandler<KinesisEvent, StreamsEventResponse> handler) {

    /** Scans wait for no one: a gate's light depends on them. */
    public static final Duration INGEST_BATCHING_WINDOW = Duration.ZERO;
    /**
     * Statistics are written once per aggregate per batch: a second of batching turns the handful of records a
     * busy shard gathers between two reads into a second's worth, for a few writes instead of a few per record
     * (measured at 50 scans/s: 3.2 PutItem per scan without it). Dashboards update every second anyway.
     */
    public static final Duration STATS_BATCHING_WINDOW = Duration.ofSeconds(1);
}
