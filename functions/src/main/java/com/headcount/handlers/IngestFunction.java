package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Verdict;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.scan.ScanParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * IngestFunction: the `scans` stream (the topic rule's {@link GateMessage}s) → decide → DynamoDB and
 * `attendance-recorded`, and each decision back to the gate whose topic the message came on.
 *
 * <p>Reports partial batch failures: when the batch stops at a scan (a throttled or unreachable store), that scan's
 * sequence number goes back to Lambda, which checkpoints before it and redelivers from there.
 */
public final class IngestFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final ScanParser parser = new ScanParser();
    private final Gatekeeper gatekeeper;
    private final GateFeedback feedback;

    /** Lambda's constructor: clients are built once per execution environment. */
    public IngestFunction() {
        IngestFunction wired = Wiring.ingestFromEnvironment();
        this.gatekeeper = wired.gatekeeper;
        this.feedback = wired.feedback;
    }

    public IngestFunction(Gatekeeper gatekeeper, GateFeedback feedback) {
        this.gatekeeper = gatekeeper;
        this.feedback = feedback;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Gatekeeper.Arrival> arrivals = new ArrayList<>(records.size());
        for (var record : records) {
            var kinesis = record.getKinesis();
            Instant receivedAt = kinesis.getApproximateArrivalTimestamp() == null
                    ? Instant.now() : kinesis.getApproximateArrivalTimestamp().toInstant();
            GateMessage message = GateMessage.fromRecord(KinesisRecords.bytes(kinesis.getData()));
            arrivals.add(new Gatekeeper.Arrival(record.getEventID(), parser.parse(message), receivedAt));
        }

        Gatekeeper.BatchResult result = gatekeeper.decide(arrivals);
        context.getLogger().log(summary(records.size(), result));
        feedback.tell(result.outcomes());

        if (result.complete()) return new StreamsEventResponse(List.of());
        String stoppedAt = records.get(result.outcomes().size()).getKinesis().getSequenceNumber();
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(stoppedAt)));
    }


    /** One structured line per batch: counts only, no participant data in the logs. */
    private static String summary(int received, Gatekeeper.BatchResult result) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Outcome o : result.outcomes()) counts.merge(o.verdict(), 1, Integer::sum);
        return String.format("{\"msg\":\"ingest batch\",\"received\":%d,\"decided\":%d,\"accepted\":%d,"
                        + "\"duplicate\":%d,\"rejected\":%d,\"stoppedBy\":%s}",
                received, result.outcomes().size(), counts.getOrDefault(Verdict.ACCEPTED, 0),
                counts.getOrDefault(Verdict.DUPLICATE, 0),
                counts.getOrDefault(Verdict.REJECTED, 0),
                result.failure() == null ? "null" : "\"" + result.failure().getClass().getSimpleName() + "\"");
    }
}
