package com.headcount.core.stats;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Where one copy of a record sits on a stream: its shard and sequence number. The ingest function may publish the
 * same accepted scan twice; each copy is a different occurrence, and only one of them is counted.
 */
public record Occurrence(String shardId, BigInteger sequence) {

    public Occurrence {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequence, "sequence");
    }

    public static Occurrence of(String shardId, String sequenceNumber) {
        return new Occurrence(shardId, new BigInteger(sequenceNumber));
    }

    /** The stored form, {@code shardId:sequence}; shard ids never contain a colon. */
    public static Occurrence parse(String stored) {
        int colon = stored.lastIndexOf(':');
        return of(stored.substring(0, colon), stored.substring(colon + 1));
    }

    @Override
    public String toString() {
        return shardId + ":" + sequence;
    }
}
