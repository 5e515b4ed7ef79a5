package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.adapters.cloudwatch.EmbeddedMetrics;
import com.headcount.core.decision.DecisionMetrics;
import com.headcount.core.decision.GateFeedback;
import com.headcount.core.decision.Gatekeeper;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.Verdict;
import com.headcount.core.scan.GateMessage;
import com.headcount.core.scan.ScanParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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

    /** The metrics' namespace where none is given (tests, the local stack): HeadcountSettings' default. */
    static final String METRICS_NAMESPACE = HeadcountSettings.defaults().metricsNamespace();

    private final ScanParser parser = new ScanParser();
    private final Gatekeeper gatekeeper;
    private final GateFeedback feedback;
    private final EmbeddedMetrics metrics;

    /** What the function is made of ({@link Functions#ingest}). */
    public record Parts(Gatekeeper gatekeeper, GateFeedback feedback, EmbeddedMetrics metrics) {}

    /** Lambda's constructor: clients are built once per execution environment. */
    public IngestFunction() {
        this(Functions.ingest(Settings.fromEnvironment()));
    }

    public IngestFunction(Parts parts) {
        this(parts.gatekeeper(), parts.feedback(), parts.metrics());
    }

    public IngestFunction(Gatekeeper gatekeeper, GateFeedback feedback) {
        this(gatekeeper, feedback, new EmbeddedMetrics(METRICS_NAMESPACE));
    }

    public IngestFunction(Gatekeeper gatekeeper, GateFeedback feedback, EmbeddedMetrics metrics) {
        this.gatekeeper = gatekeeper;
        this.feedback = feedback;
        this.metrics = metrics;
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
        Instant oldest = arrivals.stream().map(Gatekeeper.Arrival::receivedAt).min(Instant::compareTo).orElse(null);
        Instant now = Instant.now();
        metrics.lines(DecisionMetrics.of(result.outcomes(), oldest, now), now).forEach(context.getLogger()::log);
        feedback.tell(result.outcomes());

        if (result.complete()) return new StreamsEventResponse(List.of());
        String stoppedAt = records.get(result.outcomes().size()).getKinesis().getSequenceNumber();
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(stoppedAt)));
    }

    /** One structured line per batch: counts only, no participant data in the logs. */
    static String summary(int received, Gatekeeper.BatchResult result) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Outcome o : result.outcomes()) counts.merge(o.verdict(), 1, Integer::sum);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("msg", "ingest batch");
        line.put("received", received);
        line.put("decided", result.outcomes().size());
        line.put("accepted", counts.getOrDefault(Verdict.ACCEPTED, 0));
        line.put("duplicate", counts.getOrDefault(Verdict.DUPLICATE, 0));
        line.put("rejected", counts.getOrDefault(Verdict.REJECTED, 0));
        line.put("stoppedBy", result.failure() == null ? null : result.failure().getClass().getSimpleName());
        try {
            return JSON.std.asString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
