package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import java.time.Instant;
import java.util.List;

/**
 * What Lambda's on-failure record says about a Kinesis batch (its KinesisBatchInfo and request context),
 * plus the records themselves: AWS sends only their sequence range and tests want to see them.
 *
 * @param condition            "RetryAttemptsExhausted", as in Lambda's requestContext.condition
 * @param approximateInvokeCount how many times the function was called with this batch
 */
public record FailedBatch(
        String streamArn,
        String shardId,
        String startSequenceNumber,
        String endSequenceNumber,
        Instant approximateArrivalOfFirstRecord,
        Instant approximateArrivalOfLastRecord,
        int batchSize,
        String condition,
        int approximateInvokeCount,
        String functionName,
        Instant timestamp,
        List<KinesisEventRecord> records) {

    public FailedBatch {
        records = List.copyOf(records);
    }
}
