package com.headcount.testing;

import com.headcount.core.decision.AcceptedScans;
import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeLog;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.reference.ReferenceData;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.reference.ReferenceSet;
import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fakes of the core's ports for unit tests of the core. The window fake states rule 6 by brute force (compare with
 * every accepted scan), so the core's tests check the rule itself, not the bucket trick the real store uses.
 */
public final class InMemoryStores {

    private InMemoryStores() {}

    public static final class Reference implements ReferenceData {
        public final Map<ReferenceKey, Object> items = new HashMap<>();
        public final AtomicInteger lookups = new AtomicInteger();

        public Reference put(ReferenceKey key, Object value) {
            items.put(key, value);
            return this;
        }

        @Override
        public ReferenceSet lookup(Collection<? extends ReferenceKey> keys) {
            lookups.incrementAndGet();
            Map<ReferenceKey, Object> found = new HashMap<>();
            for (ReferenceKey key : keys) if (items.containsKey(key)) found.put(key, items.get(key));
            return new ReferenceSet(found);
        }
    }

    public static final class Window implements DedupWindow {
        public final List<Scan> claimed = new ArrayList<>();

        @Override
        public synchronized Claim claim(Scan scan, Instant now) {
            HeldBy first = null;
            for (Scan other : claimed) {
                if (other.scanId().equals(scan.scanId())) return new Claimed();
                boolean sameWindow = other.eventId().equals(scan.eventId())
                        && other.participantId().equals(scan.participantId())
                        && other.gateId().equals(scan.gateId()) && other.direction() == scan.direction();
                if (sameWindow && WindowRule.collide(other.scannedAt(), scan.scannedAt())
                        && (first == null || other.scannedAt().isBefore(first.scannedAt()))) {
                    first = new HeldBy(other.scanId(), other.scannedAt());
                }
            }
            if (first != null) return first;
            claimed.add(scan);
            return new Claimed();
        }

        @Override
        public synchronized void release(Scan scan) {
            claimed.removeIf(s -> s.scanId().equals(scan.scanId()));
        }
    }

    public static final class Log implements OutcomeLog {
        public final Map<ScanRef, Outcome> byScan = new LinkedHashMap<>();
        public final Map<String, Outcome> malformed = new LinkedHashMap<>();
        /** Set to make the next recordFirst of this scan id throw once, like a throttled write. */
        public String failOnceFor;

        @Override
        public synchronized Map<ScanRef, Outcome> find(Collection<ScanRef> scans) {
            Map<ScanRef, Outcome> found = new HashMap<>();
            for (ScanRef ref : scans) if (byScan.containsKey(ref)) found.put(ref, byScan.get(ref));
            return found;
        }

        @Override
        public synchronized Outcome recordFirst(Outcome outcome) {
            if (outcome.scanId().equals(failOnceFor)) {
                failOnceFor = null;
                throw new IllegalStateException("injected: throttled");
            }
            return byScan.computeIfAbsent(outcome.ref(), ref -> outcome);
        }

        @Override
        public synchronized void recordMalformed(Collection<Outcome> outcomes) {
            outcomes.forEach(o -> malformed.put(o.sourceId(), o));
        }
    }

    public static final class Published implements AcceptedScans {
        public final List<Outcome> records = new ArrayList<>();
        /** Scan ids whose next publication fails, like a throttled PutRecords entry. */
        public final List<String> failOnce = new ArrayList<>();

        @Override
        public synchronized List<Outcome> publish(List<Outcome> accepted) {
            List<Outcome> failed = new ArrayList<>();
            for (Outcome o : accepted) {
                if (failOnce.remove(o.scanId())) failed.add(o);
                else records.add(o);
            }
            return failed;
        }
    }
}
