package com.headcount.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class BillingTest {

    static final List<String> TABLE_KEYS = List.of("scanKey");
    static final Billing.Index BY_GATE = new Billing.Index("byGate", List.of("gateKey", "timeKey"),
            Billing.Index.Projection.ALL, Set.of());
    static final Billing.Index KEYS_ONLY = new Billing.Index("byGate", List.of("gateKey", "timeKey"),
            Billing.Index.Projection.KEYS_ONLY, Set.of());

    static Map<String, AttributeValue> item(int padding, boolean indexed) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("scanKey", AttributeValue.fromS("e#s-1"));
        item.put("detail", AttributeValue.fromS("x".repeat(padding)));
        if (indexed) {
            item.put("gateKey", AttributeValue.fromS("e#north"));
            item.put("timeKey", AttributeValue.fromS("2026-11-29T10:00:00.000Z#s-1"));
        }
        return item;
    }

    @Test
    void aWriteIsOneUnitPerStartedKilobyteOfTheLargerOfBeforeAndAfter() {
        assertEquals(1, Billing.writeUnits(null, item(10, false)));
        assertEquals(1, Billing.writeUnits(null, item(1024 - "scanKey".length() - 5 - "detail".length(), false)), "exactly 1 KB");
        assertEquals(2, Billing.writeUnits(null, item(1024, false)));
        assertEquals(2, Billing.writeUnits(item(1500, false), item(10, false)), "shrinking a big item bills the big one");
        assertEquals(1, Billing.writeUnits(item(10, false), null), "a delete");
    }

    @Test
    void aFailedConditionBillsTheExistingItemAtLeastOneUnit() {
        assertEquals(1, Billing.failedWriteUnits(null));
        assertEquals(3, Billing.failedWriteUnits(item(2100, false)));
    }

    @Test
    void anIndexIsWrittenOnlyForItemsCarryingItsKeys() {
        assertEquals(0, Billing.indexWriteUnits(BY_GATE, TABLE_KEYS, null, item(10, false)), "sparse: not in the index");
        assertEquals(1, Billing.indexWriteUnits(BY_GATE, TABLE_KEYS, null, item(10, true)));
        assertEquals(2, Billing.indexWriteUnits(BY_GATE, TABLE_KEYS, null, item(1500, true)), "ALL projects the whole item");
        assertEquals(1, Billing.indexWriteUnits(KEYS_ONLY, TABLE_KEYS, null, item(1500, true)), "keys only");
        assertEquals(1, Billing.indexWriteUnits(BY_GATE, TABLE_KEYS, item(10, true), null), "removed from it");
    }

    @Test
    void anUpdateWritesTheIndexOnlyWhenItsEntryChanges() {
        var before = item(10, true);
        var after = new HashMap<>(before);
        after.put("other", AttributeValue.fromS("y"));
        assertEquals(0, Billing.indexWriteUnits(KEYS_ONLY, TABLE_KEYS, before, after), "nothing projected changed");
        assertEquals(1, Billing.indexWriteUnits(BY_GATE, TABLE_KEYS, before, after), "a projected attribute changed");
        var moved = new HashMap<>(before);
        moved.put("gateKey", AttributeValue.fromS("e#south"));
        assertEquals(2, Billing.indexWriteUnits(BY_GATE, TABLE_KEYS, before, moved), "a new key: delete and put");
    }

    @Test
    void aReadIsOneUnitPerStartedFourKilobytesHalfWhenEventuallyConsistent() {
        assertEquals(1, Billing.itemReadUnits(0, true), "an absent item still costs a read");
        assertEquals(0.5, Billing.itemReadUnits(100, false));
        assertEquals(1, Billing.itemReadUnits(4096, true));
        assertEquals(2, Billing.itemReadUnits(4097, true));
        assertEquals(1.5, Billing.queryReadUnits(3 * 4000, false), "a query's items are summed, then rounded");
    }
}
