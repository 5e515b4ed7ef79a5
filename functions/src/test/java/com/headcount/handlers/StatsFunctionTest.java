package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.stats.Aggregate;
import com.headcount.core.stats.AlertRules;
import com.headcount.core.stats.InMemoryStatisticsStore;
import com.headcount.core.stats.Publication;
import com.headcount.core.stats.StatsUpdater;
import com.headcount.testing.Scans;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The handler driven by the sample Lambda event events/stats-function-kinesis-event.json: two entries, an exit, one
 * accepted scan published twice, one unreadable record. Then the same event delivered again.
 */
class StatsFunctionTest {

    static KinesisEvent sample() throws IOException {
        return kinesisEvent("stats-function-kinesis-event.json");
    }

    /** A Lambda Kinesis event from a sample under events/. */
    @SuppressWarnings("unchecked")
    static KinesisEvent kinesisEvent(String sample) throws IOException {
        Map<String, Object> json = JSON.std.mapFrom(Files.readString(Path.of("..", "events", sample)));
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (Object o : (List<Object>) json.get("Records")) {
            Map<String, Object> r = (Map<String, Object>) o;
            Map<String, Object> k = (Map<String, Object>) r.get("kinesis");
            var kinesis = new KinesisEvent.Record();
            kinesis.setPartitionKey((String) k.get("partitionKey"));
            kinesis.setSequenceNumber((String) k.get("sequenceNumber"));
            kinesis.setData(ByteBuffer.wrap(Base64.getDecoder().decode((String) k.get("data"))));
            var record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID((String) r.get("eventID"));
            record.setEventSource((String) r.get("eventSource"));
            records.add(record);
        }
        var event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    @Test
    void countsTheSampleOnceSkipsWhatCannotBeCountedAndIgnoresARedelivery() throws IOException {
        var store = new InMemoryStatisticsStore();
        var function = new StatsFunction(new StatsUpdater(Scans.reference(), Scans.reference(), store,
                new AlertOutbox(store, List.of()), Publication.none(), AlertRules.STANDARD,
                Clock.fixed(Scans.START.plus(Duration.ofHours(2)), ZoneOffset.UTC), d -> {}, new Random(1)));
        List<String> log = new ArrayList<>();

        var response = function.handleRequest(sample(), context(log));

        assertTrue(response.getBatchItemFailures().isEmpty());
        Map<String, Long> overall = store.counters().get(Aggregate.OVERALL);
        assertEquals(3, overall.get("scans"), "three distinct accepted scans; the second publication is not counted");
        assertEquals(2, overall.get("attended"));
        assertEquals(1, overall.get("inside"), "p-1 left, p-2 is inside");
        assertEquals(2, store.counters().get("GATE#north").get("scans"));
        assertTrue(log.get(0).contains("\"skipped\":1") && log.get(0).contains("\"otherPublications\":1"), log.get(0));

        var once = store.counters();
        function.handleRequest(sample(), context(log));
        assertEquals(once, store.counters(), "Lambda delivering the batch again changes nothing");
    }

    static Context context(List<String> log) {
        return new Context() {
            public String getAwsRequestId() { return "test"; }
            public String getLogGroupName() { return "test"; }
            public String getLogStreamName() { return "test"; }
            public String getFunctionName() { return "StatsFunction"; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-central-1:123456789012:function:StatsFunction"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return 60_000; }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    public void log(String message) { log.add(message); }
                    public void log(byte[] message) { log.add(new String(message)); }
                };
            }
        };
    }
}
