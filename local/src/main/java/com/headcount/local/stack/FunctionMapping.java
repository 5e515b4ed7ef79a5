package com.headcount.local.stack;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

/** One Lambda event source mapping of the deployment: which stream feeds which handler, in what batches. */
public record FunctionMapping(String functionName, String streamName, int batchSize,
                              RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
}
