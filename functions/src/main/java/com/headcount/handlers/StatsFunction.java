package com.headcount.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.stats.Occurrence;
import com.headcount.core.stats.StatsUpdater;
import com.headcount.core.stats.StreamedScan;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * StatsFunction: `attendance-recorded` → statistics, alerts, `statistics-updates`.
 *
 * <p>A batch is one shard's records in order. It is counted as a whole or not at all: any failure is thrown, and
 * Lambda retries (and bisects) the batch; the updater's claims and watermarks make every retry exact. The mapping
 * must retry without limit (MaximumRetryAttempts -1) with ParallelizationFactor 1: skipping records would lose counts,
 * and the watermarks assume one batch at a time per shard. A record that is neither an accepted scan nor a refused
 * edge mismatch (unreadable JSON, any other refusal) is logged and skipped: it can never be counted, and must not stop the shard. A scan
 * of an event the statistics cannot find (even strongly consistently) is recorded as uncounted and logged.
 */
public final class StatsFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final StatsUpdater updater;

    public StatsFunction() {
        this.updater = StatsWiring.fromEnvironment().updater;
    }

    public StatsFunction(StatsUpdater updater) {
        this.updater = updater;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        if (records.isEmpty()) return new StreamsEventResponse(List.of());
        List<StreamedScan> scans = new ArrayList<>(records.size());
        String shardId = null;
        BigInteger last = null;
        int skipped = 0;
        for (var record : records) {
            String sequence = record.getKinesis().getSequenceNumber();
            String id = record.getEventID();
            // the event id is "<shardId>:<sequenceNumber>"
            String shard = id.substring(0, id.lastIndexOf(':'));
            shardId = shard;
            BigInteger seq = new BigInteger(sequence);
            last = last == null ? seq : last.max(seq);
            try {
                Outcome outcome = OutcomeJson.fromBytes(KinesisRecords.bytes(record.getKinesis().getData()));
                if (outcome.streamed() && outcome.scan() != null) {
                    scans.add(new StreamedScan(new Occurrence(shard, seq), outcome));
                } else {
                    skipped++;
                }
            } catch (RuntimeException unreadable) {
                skipped++;
            }
        }
        StatsUpdater.BatchResult r = updater.apply(shardId, last, scans);
        context.getLogger().log(String.format("{\"msg\":\"stats batch\",\"records\":%d,\"skipped\":%d,\"counted\":%d,"
                        + "\"otherPublications\":%d,\"aggregatesWritten\":%d,\"alertsRaised\":%d,\"published\":%d}",
                records.size(), skipped, r.counted(), r.otherPublications(), r.aggregatesWritten(), r.alertsRaised(),
                r.snapshotsPublished()));
        if (r.uncounted() > 0) {
            context.getLogger().log(String.format("{\"level\":\"WARN\",\"msg\":\"scans of an unknown event not counted\","
                    + "\"uncounted\":%d,\"recordedUnder\":\"UNCOUNTED#<eventId>\"}", r.uncounted()));
        }
        return new StreamsEventResponse(List.of());
    }

}
