package com.headcount.bench.emulators;

import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.bench.ProcessCpu;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.emulator.LocalAws;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code bin/bench emulators}: each stand-in alone, same machine, same run, same Java SDK client as the stack uses:
 * its ceiling, to set the load numbers against. Kinesis: PutRecord with N in flight, PutRecords of 100, an empty
 * GetRecords at the tip, CPU at idle. DynamoDB (dynalite): conditional PutItem with N in flight.
 */
public final class EmulatorsBenchmark implements Benchmark {

    @Override
    public String name() {
        return "emulators";
    }

    @Override
    public String summary() {
        return "each emulator alone: Kinesis puts and empty reads (kinesalite, kinesis-local), dynalite conditional writes";
    }

    @Override
    public String usage() {
        return """
                bin/bench emulators [options]
                  --records N     records (items) per measurement (2000)
                  --in-flight N   requests at once for the single-record calls (8)
                  --idle S        seconds of idle CPU measured per emulator (10)
                  --data DIR      where the emulators keep their data, as in the stack (a new folder under /tmp)""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("records", "2000");
        defaults.put("in-flight", "8");
        defaults.put("idle", "10");
        defaults.put("data", null);
        Options o = Options.parse(args, defaults);
        int records = o.integer("records");
        int inFlight = o.integer("in-flight");
        Duration idle = Duration.ofSeconds(o.integer("idle"));
        Path data = o.text("data") == null ? Files.createTempDirectory("headcount-emulators-") : Path.of(o.text("data"));
        out.printf("bin/bench emulators %s%n%d records, %d in flight, data on disk in %s, %d cores%n%n",
                String.join(" ", args), records, inFlight, data, Runtime.getRuntime().availableProcessors());
        out.println("| emulator | PutRecord/s (" + inFlight + " in flight) | records/s in PutRecords of 100 "
                + "| ms per empty GetRecords | idle CPU % of one core |");
        out.println("|---|---|---|---|---|");
        for (KinesisEmulator emulator : KinesisEmulator.values()) {
            try (EmulatorProcess process = emulator.start(0, data.resolve(emulator.label()), data.resolve("logs"));
                 var kinesis = LocalAws.kinesis(process.endpoint())) {
                LocalAws.createStream(kinesis, "bench", 1);
                double putRecord = rate(records, inFlight, i -> kinesis.putRecord(r -> r.streamName("bench")
                        .partitionKey("gate-" + (i % 8)).data(SdkBytes.fromUtf8String(payload(i)))));
                double putRecords = rate(records, 1, batch -> {
                    if (batch % 100 != 0) return;
                    List<PutRecordsRequestEntry> entries = new ArrayList<>();
                    for (int i = batch; i < Math.min(records, batch + 100); i++) {
                        entries.add(PutRecordsRequestEntry.builder().partitionKey("gate-" + (i % 8))
                                .data(SdkBytes.fromUtf8String(payload(i))).build());
                    }
                    kinesis.putRecords(r -> r.streamName("bench").records(entries));
                });
                String shard = kinesis.listShards(r -> r.streamName("bench")).shards().getFirst().shardId();
                String iterator = kinesis.getShardIterator(r -> r.streamName("bench").shardId(shard)
                        .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
                int reads = 200;
                long start = System.nanoTime();
                String next = iterator;
                for (int i = 0; i < reads; i++) {
                    String current = next;
                    next = kinesis.getRecords(r -> r.shardIterator(current)).nextShardIterator();
                }
                double getMs = (System.nanoTime() - start) / 1e6 / reads;
                double idleCpu = idleCpu(process.pid(), idle);
                out.printf("| %s | %.0f | %.0f | %.1f | %.1f |%n", emulator, putRecord, putRecords, getMs, idleCpu);
            }
        }
        try (Dynalite dynalite = Dynalite.builder().dataDirectory(data.resolve("dynamodb"))
                .logDirectory(data.resolve("logs")).start(); var dynamo = LocalAws.dynamoDb(dynalite.endpoint())) {
            LocalAws.createTable(dynamo, CreateTableRequest.builder().tableName("bench")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()).build());
            for (int parallel : List.of(1, inFlight)) {
                String prefix = "p" + parallel + "-";
                double puts = rate(records, parallel, i -> dynamo.putItem(r -> r.tableName("bench")
                        .item(Map.of("pk", AttributeValue.fromS(prefix + i), "payload", AttributeValue.fromS(payload(i))))
                        .conditionExpression("attribute_not_exists(pk)")));
                out.printf("%ndynalite: %.0f conditional PutItem/s with %d in flight", puts, parallel);
            }
            out.printf("; idle CPU %.1f %% of one core%n", idleCpu(dynalite.pid(), idle));
        }
        return 0;
    }

    private static String payload(int i) {
        return "{\"scanId\":\"" + java.util.UUID.nameUUIDFromBytes(Integer.toString(i).getBytes()) + "\",\"eventId\":\"bench\","
                + "\"participantId\":\"B-" + i + "\",\"gateId\":\"gate-" + (i % 8) + "\",\"timestamp\":\"2026-11-29T09:00:00.000Z\","
                + "\"method\":\"qr_scan\",\"direction\":\"entry\"}";
    }

    /** Runs {@code call(0..n-1)} on {@code parallel} threads, each taking the next index; calls a second. */
    private static double rate(int n, int parallel, IntConsumer call) throws Exception {
        var next = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < parallel; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        call.accept(i);
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double idleCpu(long pid, Duration span) throws InterruptedException {
        Thread.sleep(1000);
        double before = ProcessCpu.treeSeconds(pid);
        long start = System.nanoTime();
        Thread.sleep(span);
        return (ProcessCpu.treeSeconds(pid) - before) / ((System.nanoTime() - start) / 1e9) * 100;
    }
}
