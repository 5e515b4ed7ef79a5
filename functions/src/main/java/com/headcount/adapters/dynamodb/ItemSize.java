package com.headcount.adapters.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it ("DynamoDB item sizes and formats" in the developer guide): names and values in
 * UTF-8 bytes, a number at one byte per two significant digits plus one, 3 bytes of overhead for a map or list and
 * one per element. A write costs one WRU per started kilobyte of it; emulators report no consumed capacity, so
 * measurements compute it from here.
 */
public final class ItemSize {

    private ItemSize() {}

    public static int bytes(Map<String, AttributeValue> item) {
        int size = 0;
        for (var e : item.entrySet()) size += utf8(e.getKey()) + value(e.getValue());
        return size;
    }

    /** Write capacity units for writing an item of this size (at least one). */
    public static int writeUnits(int bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    private static int value(AttributeValue v) {
        if (v.s() != null) return utf8(v.s());
        if (v.n() != null) return number(v.n());
        if (v.b() != null) return v.b().asByteArray().length;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasM()) {
            int size = 3;
            for (var e : v.m().entrySet()) size += utf8(e.getKey()) + value(e.getValue()) + 1;
            return size;
        }
        if (v.hasL()) {
            int size = 3;
            for (AttributeValue element : v.l()) size += value(element) + 1;
            return size;
        }
        if (v.hasSs()) return v.ss().stream().mapToInt(ItemSize::utf8).sum();
        if (v.hasNs()) return v.ns().stream().mapToInt(ItemSize::number).sum();
        return 0;
    }

    private static int number(String n) {
        BigDecimal d = new BigDecimal(n);
        int digits = d.signum() == 0 ? 1 : d.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
