package com.headcount.adapters.kinesis;

import com.headcount.core.decision.AcceptedScans;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeJson;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Publishes accepted scans to `attendance-recorded` with PutRecords (500 a request). The partition key is the
 * participant within the event, so one participant's entries and exits stay in order for occupancy.
 */
public final class KinesisAcceptedScans implements AcceptedScans {

    static final int MAX_RECORDS_PER_PUT = 500;

    private final KinesisClient kinesis;
    private final String stream;

    public KinesisAcceptedScans(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** Kinesis takes at most 256 characters; two maximal ids (128 each) and a separator would be 257. */
    static final int MAX_PARTITION_KEY = 256;

    public static String partitionKey(Outcome outcome) {
        String key = outcome.eventId() + "#" + outcome.participantId();
        return key.length() <= MAX_PARTITION_KEY ? key : sha256(key);
    }

    private static String sha256(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public List<Outcome> publish(List<Outcome> accepted) {
        List<Outcome> failed = new ArrayList<>();
        for (int from = 0; from < accepted.size(); from += MAX_RECORDS_PER_PUT) {
            List<Outcome> chunk = accepted.subList(from, Math.min(accepted.size(), from + MAX_RECORDS_PER_PUT));
            List<PutRecordsRequestEntry> entries = chunk.stream()
                    .map(o -> PutRecordsRequestEntry.builder()
                            .partitionKey(partitionKey(o))
                            .data(SdkBytes.fromByteArrayUnsafe(OutcomeJson.toBytes(o)))
                            .build())
                    .toList();
            List<PutRecordsResultEntry> results =
                    kinesis.putRecords(b -> b.streamName(stream).records(entries)).records();
            // PutRecords succeeds as a whole while single entries fail (throttling): those are retried by
            // redelivering their scans, whose stored outcome is then published again.
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) failed.add(chunk.get(i));
            }
        }
        return failed;
    }
}
