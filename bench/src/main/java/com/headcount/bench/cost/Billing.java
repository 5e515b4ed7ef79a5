package com.headcount.bench.cost;

import com.headcount.adapters.dynamodb.ItemSize;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB on-demand billing, computed from item sizes: the emulators report no ConsumedCapacity, so every capacity
 * number of {@code bin/bench cost} comes from here. The rules (developer guide, "Read/write capacity mode" and
 * "Global secondary indexes: provisioned throughput considerations"):
 * <ul>
 * <li>a write is one WRU per started KB of the larger of the item before and after it, at least one;</li>
 * <li>a write whose condition fails is billed too, by the size of the existing item (at least one WRU); its indexes
 *     are not written;</li>
 * <li>each GSI the item is in (before or after) is written too, by the size of the projected entry: putting an entry
 *     is one write, removing one is one write, changing its key is both, and an update that changes neither the
 *     index key nor a projected attribute does not write the index;</li>
 * <li>a read is one RRU per started 4 KB of each item read (GetItem, BatchGetItem) or of all items a Query returns
 *     together, at least one (an absent item too); half of that when eventually consistent.</li>
 * </ul>
 */
public final class Billing {

    /** What one global secondary index projects. */
    public record Index(String name, List<String> keys, Projection projection, Set<String> included) {

        public enum Projection { ALL, KEYS_ONLY, INCLUDE }

        public Index {
            keys = List.copyOf(keys);
            included = Set.copyOf(included);
        }

        /** Whether the item appears in this index: a GSI is sparse, an item without its key attributes is not in it. */
        boolean holds(Map<String, AttributeValue> item) {
            return item != null && keys.stream().allMatch(item::containsKey);
        }

        /** The entry as the index stores it: the table's key, the index key and what the projection names. */
        Map<String, AttributeValue> entry(Map<String, AttributeValue> item, List<String> tableKeys) {
            if (projection == Projection.ALL) return item;
            Map<String, AttributeValue> entry = new HashMap<>();
            for (String k : tableKeys) putIfPresent(entry, item, k);
            for (String k : keys) putIfPresent(entry, item, k);
            if (projection == Projection.INCLUDE) for (String k : included) putIfPresent(entry, item, k);
            return entry;
        }

        private static void putIfPresent(Map<String, AttributeValue> to, Map<String, AttributeValue> from, String k) {
            AttributeValue v = from.get(k);
            if (v != null) to.put(k, v);
        }
    }

    /** A table's key attributes and its GSIs. */
    public record Table(String name, List<String> keys, List<Index> indexes) {

        public Table {
            keys = List.copyOf(keys);
            indexes = List.copyOf(indexes);
        }
    }

    private Billing() {}

    public static double writeUnits(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return ItemSize.writeUnits(Math.max(bytes(before), bytes(after)));
    }

    /** A write whose condition failed: the existing item's size, at least one WRU. */
    public static double failedWriteUnits(Map<String, AttributeValue> existing) {
        return ItemSize.writeUnits(bytes(existing));
    }

    /** WRU written to one GSI by a write that turned {@code before} into {@code after} (either may be null). */
    public static double indexWriteUnits(Index index, List<String> tableKeys, Map<String, AttributeValue> before,
                                         Map<String, AttributeValue> after) {
        boolean was = index.holds(before);
        boolean is = index.holds(after);
        if (!was && !is) return 0;
        if (!was) return ItemSize.writeUnits(bytes(index.entry(after, tableKeys)));
        if (!is) return ItemSize.writeUnits(bytes(index.entry(before, tableKeys)));
        Map<String, AttributeValue> oldEntry = index.entry(before, tableKeys);
        Map<String, AttributeValue> newEntry = index.entry(after, tableKeys);
        boolean sameKey = index.keys().stream().allMatch(k -> Objects.equals(before.get(k), after.get(k)));
        if (!sameKey) return ItemSize.writeUnits(bytes(oldEntry)) + ItemSize.writeUnits(bytes(newEntry));
        if (oldEntry.equals(newEntry)) return 0;
        return ItemSize.writeUnits(Math.max(bytes(oldEntry), bytes(newEntry)));
    }

    /** RRU of reading items of these sizes one by one (GetItem, each key of a BatchGetItem; 0 bytes: absent). */
    public static double itemReadUnits(int bytes, boolean consistent) {
        double units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    /** RRU of a Query or Scan page: the items it returns, together, rounded up to 4 KB once. */
    public static double queryReadUnits(int totalBytes, boolean consistent) {
        return itemReadUnits(totalBytes, consistent);
    }

    static int bytes(Map<String, AttributeValue> item) {
        return item == null ? 0 : ItemSize.bytes(item);
    }
}
