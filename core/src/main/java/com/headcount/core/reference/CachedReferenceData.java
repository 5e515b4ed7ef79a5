package com.headcount.core.reference;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps reference data across warm invocations so a batch usually needs no look-up at all.
 * Absences are cached too (an unknown badge scanned again and again costs one read per TTL).
 * The TTL bounds how long an organiser's change (a participant set inactive) takes to apply.
 */
public final class CachedReferenceData implements ReferenceData {

    private record Cached(Object value, Instant expiresAt) {}

    private static final Object ABSENT = new Object();

    private final ReferenceData source;
    private final Clock clock;
    private final Duration ttl;
    private final Map<ReferenceKey, Cached> entries;

    public CachedReferenceData(ReferenceData source, Clock clock, Duration ttl, int maxEntries) {
        this.source = source;
        this.clock = clock;
        this.ttl = ttl;
        // access-ordered: the least recently used entry goes first when the cache is full
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ReferenceKey, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized ReferenceSet lookup(Collection<? extends ReferenceKey> keys) {
        Instant now = clock.instant();
        Map<ReferenceKey, Object> found = new HashMap<>();
        List<ReferenceKey> missing = new ArrayList<>();
        for (ReferenceKey key : keys) {
            Cached entry = entries.get(key);
            if (entry == null || !entry.expiresAt().isAfter(now)) {
                missing.add(key);
            } else if (entry.value() != ABSENT) {
                found.put(key, entry.value());
            }
        }
        if (!missing.isEmpty()) {
            Map<ReferenceKey, Object> loaded = source.lookup(missing).found();
            Instant expiresAt = now.plus(ttl);
            for (ReferenceKey key : missing) {
                Object value = loaded.get(key);
                entries.put(key, new Cached(value == null ? ABSENT : value, expiresAt));
                if (value != null) found.put(key, value);
            }
        }
        return new ReferenceSet(found);
    }

    @Override
    public synchronized ReferenceSet lookupFresh(Collection<? extends ReferenceKey> keys) {
        Map<ReferenceKey, Object> loaded = source.lookup(keys).found();
        Instant expiresAt = clock.instant().plus(ttl);
        for (ReferenceKey key : keys) {
            Object value = loaded.get(key);
            entries.put(key, new Cached(value == null ? ABSENT : value, expiresAt));
        }
        return new ReferenceSet(loaded);
    }
}
