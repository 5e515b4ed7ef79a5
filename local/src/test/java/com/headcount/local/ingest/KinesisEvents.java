package com.headcount.local.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Hand-made KinesisEvents, for invoking handlers the way many concurrent Lambda instances would. */
public final class KinesisEvents {

    private KinesisEvents() {}

    public static KinesisEvent of(List<byte[]> messages, long firstSequence) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        long seq = firstSequence;
        for (byte[] message : messages) {
            var kinesis = new KinesisEvent.Record();
            kinesis.setData(ByteBuffer.wrap(message));
            kinesis.setPartitionKey("gate");
            kinesis.setSequenceNumber(Long.toString(seq));
            kinesis.setApproximateArrivalTimestamp(Date.from(Instant.now()));
            kinesis.setKinesisSchemaVersion("1.0");
            var record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID("shardId-000000000000:" + seq);
            record.setEventSource("aws:kinesis");
            record.setEventName("aws:kinesis:record");
            records.add(record);
            seq++;
        }
        var event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }
}
