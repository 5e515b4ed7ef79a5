package com.headcount.core.stats;

import java.math.BigInteger;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One aggregate item of an event (the overall figures, one gate, one local hour): named counters, a sequence
 * watermark per shard, and a version for optimistic writes. Updated once per batch, never per scan.
 *
 * <p>Exactly-once, aggregate side: the watermark of shard S says "every counted occurrence of S with a sequence
 * number up to here is in these counters". A batch adds only occurrences above it and raises it to the batch's last
 * sequence number in the same conditional write, so a retried, bisected or resumed batch adds nothing twice, and a
 * crash between two items' writes leaves each item either fully updated or untouched.
 */
public final class Aggregate {

    public static final String OVERALL = "OVERALL";
    public static final String GATE_PREFIX = "GATE#";
    public static final String HOUR_PREFIX = "HOUR#";

    private final String key;
    private final long version;
    private final Map<String, Long> counters;
    private final Map<String, BigInteger> watermarks;
    private boolean changed;

    public Aggregate(String key, long version, Map<String, Long> counters, Map<String, BigInteger> watermarks) {
        this.key = key;
        this.version = version;
        this.counters = new TreeMap<>(counters);
        this.watermarks = new TreeMap<>(watermarks);
    }

    public static Aggregate empty(String key) {
        return new Aggregate(key, 0, Map.of(), Map.of());
    }

    public static String gateKey(String gateId) {
        return GATE_PREFIX + gateId;
    }

    /** Whether this occurrence is not yet in the counters. */
    public boolean lacks(Occurrence o) {
        BigInteger mark = watermarks.get(o.shardId());
        return mark == null || o.sequence().compareTo(mark) > 0;
    }

    public void add(String counter, long delta) {
        if (delta == 0) return;
        counters.merge(counter, delta, Long::sum);
        changed = true;
    }

    public void max(String counter, long value) {
        Long current = counters.get(counter);
        if (current == null || value > current) {
            counters.put(counter, value);
            changed = true;
        }
    }

    /**
     * Drops the per-minute counters under {@code prefix} (the minute is the name's last dot-separated part) older
     * than {@code oldestMinute}: the windows only look back so far.
     */
    public void pruneMinutes(String prefix, long oldestMinute) {
        counters.keySet().removeIf(k -> k.startsWith(prefix)
                && Long.parseLong(k.substring(k.lastIndexOf('.') + 1)) < oldestMinute);
    }

    /** Raised, never lowered: a retry of an older part of the shard must not reopen what is counted. */
    public void advance(String shardId, BigInteger upTo) {
        watermarks.merge(shardId, upTo, BigInteger::max);
    }

    public void markChanged() {
        changed = true;
    }

    public long get(String counter) {
        return counters.getOrDefault(counter, 0L);
    }

    /** Counters under a prefix, keyed by the rest of their name (e.g. the method breakdown). */
    public Map<String, Long> group(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    public String key() {
        return key;
    }

    public long version() {
        return version;
    }

    public boolean changed() {
        return changed;
    }

    public Map<String, Long> counters() {
        return Collections.unmodifiableMap(counters);
    }

    public Map<String, BigInteger> watermarks() {
        return Collections.unmodifiableMap(watermarks);
    }
}
