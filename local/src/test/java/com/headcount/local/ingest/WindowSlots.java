package com.headcount.local.ingest;

import com.headcount.adapters.dynamodb.DynamoDedupWindow;
import com.headcount.adapters.dynamodb.DynamoOutcomeLog;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.WindowRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every claim in the windows table, read back whole, and the invariant that ties each to an accepted outcome. */
record WindowSlots(List<Slot> slots, List<Map<String, AttributeValue>> items) {

    /** One claim: which item (lane and block) holds it, in which bucket, naming which scan at which time. */
    record Slot(String windowKey, long bucket, String scanId, Instant at) {
        String eventId() {
            return windowKey.substring(0, windowKey.indexOf('#'));
        }

        /** Event, participant, gate and direction: the key without its block. */
        String lane() {
            return windowKey.substring(0, windowKey.lastIndexOf('#'));
        }

        /** A neighbour's edge scan kept here (plain lanes only: a hashed key does not say its lane's offset). */
        boolean mirror() {
            long block = Long.parseLong(windowKey.substring(windowKey.lastIndexOf('#') + 1));
            return WindowRule.blockOf(bucket, WindowRule.offsetOf(lane())) != block;
        }
    }

    static WindowSlots read(DynamoDbClient dynamo, String table) {
        List<Slot> slots = new ArrayList<>();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from));
            for (var item : page.items()) {
                items.add(item);
                String key = item.get(DynamoDedupWindow.KEY).s();
                item.forEach((name, value) -> {
                    if (name.matches("b-?[0-9]+") && value.hasM()) {
                        slots.add(new Slot(key, Long.parseLong(name.substring(1)), value.m().get("id").s(),
                                Instant.ofEpochMilli(Long.parseLong(value.m().get("at").n()))));
                    }
                });
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new WindowSlots(slots, items);
    }

    List<Slot> of(String eventId) {
        return slots.stream().filter(s -> s.eventId().equals(eventId)).toList();
    }

    /**
     * The invariant of rule 6 (docs/architecture.md, "The window") as stored: every claim names a scan whose stored
     * outcome is that scan (same lane and time), accepted; and every accepted scan holds its own block's slot. Returns
     * what breaks it.
     */
    List<String> violations(String eventId, DynamoOutcomeLog outcomes) {
        List<String> broken = new ArrayList<>();
        for (Slot slot : of(eventId)) {
            Outcome o = outcomes.get(new ScanRef(eventId, slot.scanId())).orElse(null);
            if (o == null || !o.isAccepted() || o.scan() == null) {
                broken.add("slot " + slot + " names a scan stored as " + (o == null ? "nothing" : o.verdict()));
            } else if (!o.scan().scannedAt().equals(slot.at()) || !DynamoDedupWindow.lane(o.scan()).equals(slot.lane())) {
                broken.add("slot " + slot + " names another body than the stored one");
            }
        }
        return broken;
    }

    /** Accepted outcomes with no slot of their own (a claim lost while the scan stayed accepted). */
    List<String> acceptedWithoutSlot(String eventId, List<Outcome> accepted) {
        List<String> missing = new ArrayList<>();
        for (Outcome o : accepted) {
            boolean held = of(eventId).stream().anyMatch(s -> !s.mirror() && s.scanId().equals(o.scanId())
                    && s.at().equals(o.scan().scannedAt()));
            if (!held) missing.add(o.scanId());
        }
        return missing;
    }
}
