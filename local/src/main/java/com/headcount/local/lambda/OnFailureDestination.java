package com.headcount.local.lambda;

/**
 * Where a batch goes once its retries are exhausted: Lambda's on-failure destination (an SQS queue or
 * SNS topic in AWS). Called on the shard's poller thread before the shard moves past the batch.
 */
@FunctionalInterface
public interface OnFailureDestination {

    void send(FailedBatch batch);

    /** No destination configured: as in Lambda, the batch is dropped (and logged). */
    static OnFailureDestination discard() {
        return batch -> System.getLogger(OnFailureDestination.class.getName()).log(System.Logger.Level.WARNING,
                "retries exhausted, no on-failure destination: dropping {0} records of {1} {2}..{3}",
                batch.batchSize(), batch.shardId(), batch.startSequenceNumber(), batch.endSequenceNumber());
    }
}
