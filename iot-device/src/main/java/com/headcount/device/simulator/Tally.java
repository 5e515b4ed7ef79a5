package com.headcount.device.simulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * Outcomes counted: accepted, duplicate, and rejected by reason code. Compared as values, so ground truth and what
 * the system reports can be checked with one equals.
 */
public record Tally(long accepted, long duplicate, Map<String, Long> rejectedByReason) {

    public Tally {
        rejectedByReason = Map.copyOf(rejectedByReason);
    }

    public static Tally of(Iterable<? extends Map.Entry<String, String>> outcomeAndReason) {
        long accepted = 0;
        long duplicate = 0;
        Map<String, Long> rejected = new TreeMap<>();
        for (var entry : outcomeAndReason) {
            switch (entry.getKey()) {
                case "accepted" -> accepted++;
                case "duplicate" -> duplicate++;
                default -> rejected.merge(entry.getValue() == null ? "?" : entry.getValue(), 1L, Long::sum);
            }
        }
        return new Tally(accepted, duplicate, rejected);
    }

    public long rejected() {
        return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long total() {
        return accepted + duplicate + rejected();
    }

    public long rejected(String reason) {
        return rejectedByReason.getOrDefault(reason, 0L);
    }
}
