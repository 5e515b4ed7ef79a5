package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A toy function: remembers every batch it was given and answers as the test tells it to. */
final class RecordingFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    /** Decides the answer to one invocation; its first argument counts invocations from 0. */
    interface Behaviour extends BiFunction<Integer, List<KinesisEventRecord>, StreamsEventResponse> {
    }

    private final Behaviour behaviour;
    private final List<List<KinesisEventRecord>> batches = new CopyOnWriteArrayList<>();
    private final List<Context> contexts = new CopyOnWriteArrayList<>();

    RecordingFunction(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    static RecordingFunction succeeding() {
        return new RecordingFunction((n, records) -> new StreamsEventResponse(List.of()));
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        int invocation;
        synchronized (this) {
            invocation = batches.size();
            batches.add(List.copyOf(event.getRecords()));
            contexts.add(context);
        }
        return behaviour.apply(invocation, event.getRecords());
    }

    List<List<KinesisEventRecord>> batches() {
        return List.copyOf(batches);
    }

    /** The payloads of each batch, as strings. */
    List<List<String>> batchData() {
        return batches.stream().map(b -> b.stream().map(RecordingFunction::data).toList()).toList();
    }

    List<Context> contexts() {
        return List.copyOf(contexts);
    }

    static String data(KinesisEventRecord record) {
        var buffer = record.getKinesis().getData().duplicate();
        var bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static StreamsEventResponse failing(List<KinesisEventRecord> records, String... payloads) {
        var failures = new ArrayList<StreamsEventResponse.BatchItemFailure>();
        for (var payload : payloads) {
            records.stream().filter(r -> data(r).equals(payload)).forEach(r -> failures.add(
                    new StreamsEventResponse.BatchItemFailure(r.getKinesis().getSequenceNumber())));
        }
        return new StreamsEventResponse(failures);
    }
}
