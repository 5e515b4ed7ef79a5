package com.headcount.local.lambda;

import java.util.concurrent.atomic.LongAdder;

/** The running counts of one mapping, added to from every shard's poller. */
final class Tally {
    final LongAdder invocations = new LongAdder();
    final LongAdder recordsDelivered = new LongAdder();
    final LongAdder functionErrors = new LongAdder();
    final LongAdder partialFailures = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder bisections = new LongAdder();
    final LongAdder recordsSentToOnFailure = new LongAdder();
    final LongAdder recordsDone = new LongAdder();

    KinesisEventSourceMapping.Counters snapshot() {
        return new KinesisEventSourceMapping.Counters(invocations.sum(), recordsDelivered.sum(), functionErrors.sum(),
                partialFailures.sum(), retries.sum(), bisections.sum(), recordsSentToOnFailure.sum(), recordsDone.sum());
    }
}
