package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps failed batches for a test to look at. */
public final class InMemoryOnFailureDestination implements OnFailureDestination {

    private final List<FailedBatch> batches = new CopyOnWriteArrayList<>();

    @Override
    public void send(FailedBatch batch) {
        batches.add(batch);
    }

    public List<FailedBatch> batches() {
        return List.copyOf(batches);
    }

    /** Every failed record, in the order the batches arrived. */
    public List<KinesisEventRecord> records() {
        return batches.stream().flatMap(b -> b.records().stream()).toList();
    }
}
