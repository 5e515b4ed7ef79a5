package com.headcount.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Both Kinesis stand-ins keep the contract the mappings, the topic rule and the functions rely on. */
class KinesisEmulatorTest {

    @ParameterizedTest
    @EnumSource(KinesisEmulator.class)
    void servesAStreamThroughLocalAwsAndReleasesItsPortOnClose(KinesisEmulator emulator) throws IOException {
        int port;
        try (var process = emulator.start(0, null, null); var kinesis = LocalAws.kinesis(process.endpoint())) {
            port = process.port();
            var summary = LocalAws.createStream(kinesis, "scans", 2);
            assertEquals("arn:aws:kinesis:us-east-1:000000000000:stream/scans", summary.streamARN());
            assertEquals(2, summary.openShardCount());

            var before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            var put = kinesis.putRecord(r -> r.streamName("scans").partitionKey("gate-1")
                    .data(SdkBytes.fromUtf8String("hello")));
            var after = Instant.now().plusSeconds(1);
            assertTrue(put.shardId().matches("shardId-\\d{12}"), put.shardId());

            var record = firstRecord(kinesis, "scans", put.shardId());
            assertEquals("hello", record.data().asUtf8String());
            assertEquals(put.sequenceNumber(), record.sequenceNumber());
            var arrival = record.approximateArrivalTimestamp();
            assertFalse(arrival.isBefore(before) || arrival.isAfter(after),
                    arrival + " not in [" + before + ", " + after + "]");
        }
        try (var again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port is free once " + emulator + " is closed");
        }
    }

    @ParameterizedTest
    @EnumSource(KinesisEmulator.class)
    void keepsStreamsAndRecordsAcrossARestartWithADataDirectory(KinesisEmulator emulator, @TempDir Path data) {
        String sequenceNumber;
        String shardId;
        try (var process = emulator.start(0, data, null);
             var kinesis = LocalAws.kinesis(process.endpoint())) {
            LocalAws.createStream(kinesis, "scans", 1);
            var put = kinesis.putRecord(r -> r.streamName("scans").partitionKey("gate-1")
                    .data(SdkBytes.fromUtf8String("kept")));
            sequenceNumber = put.sequenceNumber();
            shardId = put.shardId();
        }
        try (var process = emulator.start(0, data, null);
             var kinesis = LocalAws.kinesis(process.endpoint())) {
            LocalAws.awaitStreamActive(kinesis, "scans", Duration.ofSeconds(5));
            var record = firstRecord(kinesis, "scans", shardId);
            assertEquals("kept", record.data().asUtf8String());
            assertEquals(sequenceNumber, record.sequenceNumber());
        }
    }

    private static Record firstRecord(KinesisClient kinesis, String stream, String shardId) {
        var iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        var records = kinesis.getRecords(r -> r.shardIterator(iterator)).records();
        assertEquals(1, records.size(), records.toString());
        return records.getFirst();
    }
}
