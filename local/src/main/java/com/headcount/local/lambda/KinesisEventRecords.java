package com.headcount.local.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import software.amazon.awssdk.services.kinesis.model.Record;

/** Kinesis records as Lambda hands them to a function: the fields and constants of the "aws:kinesis" event. */
final class KinesisEventRecords {

    private KinesisEventRecords() {
    }

    static KinesisEvent event(List<Record> records, String streamArn, String shardId, String functionName) {
        var event = new KinesisEvent();
        event.setRecords(records.stream().map(r -> eventRecord(r, streamArn, shardId, functionName)).toList());
        return event;
    }

    static KinesisEventRecord eventRecord(Record record, String streamArn, String shardId, String functionName) {
        var kinesis = new KinesisEvent.Record();
        kinesis.setKinesisSchemaVersion("1.0");
        kinesis.setPartitionKey(record.partitionKey());
        kinesis.setSequenceNumber(record.sequenceNumber());
        // a fresh writable buffer each time: a handler that reads or array()s it must not spoil a redelivery
        kinesis.setData(ByteBuffer.wrap(record.data().asByteArray()));
        if (record.approximateArrivalTimestamp() != null) {
            kinesis.setApproximateArrivalTimestamp(Date.from(record.approximateArrivalTimestamp()));
        }
        var eventRecord = new KinesisEventRecord();
        eventRecord.setKinesis(kinesis);
        eventRecord.setEventSource("aws:kinesis");
        eventRecord.setEventVersion("1.0");
        eventRecord.setEventID(shardId + ":" + record.sequenceNumber());
        eventRecord.setEventName("aws:kinesis:record");
        eventRecord.setInvokeIdentityArn("arn:aws:iam::" + LocalContext.ACCOUNT + ":role/" + functionName + "-role");
        eventRecord.setAwsRegion("us-east-1");
        eventRecord.setEventSourceARN(streamArn);
        return eventRecord;
    }
}
