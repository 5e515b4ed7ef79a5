package com.headcount.local.testing;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Reads what a stream holds, for checking what a function published. */
public final class Streams {

    private Streams() {}

    /** Every record of the stream, shard by shard, each shard in order. */
    public static List<Record> readAll(KinesisClient kinesis, String stream) {
        List<Record> all = new ArrayList<>();
        for (var shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                var page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                if (page.records().isEmpty()) break;
                all.addAll(page.records());
                iterator = page.nextShardIterator();
            }
        }
        return all;
    }
}
