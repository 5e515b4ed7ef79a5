package com.headcount.testing;

import com.headcount.core.decision.AcceptedScans;
import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeLog;
import com.headcount.core.decision.RejectReason;
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

    /** The window as a list of claims; the batch view reads it live (no copy), which a fake may. */
    public static final class Window implements DedupWindow {
        public final List<Scan> claimed = new ArrayList<>();

        @Override
        public Batch open(Collection<Scan> scans, Instant now) {
            return new Batch() {
                @Override
                public HeldBy holder(Scan scan) {
                    synchronized (Window.this) {
                        HeldBy first = null;
                        for (Scan other : claimed) {
                            if (!other.scanId().equals(scan.scanId()) && sameLane(other, scan)
                                    && WindowRule.collide(other.scannedAt(), scan.scannedAt())
                                    && (first == null || other.scannedAt().isBefore(first.scannedAt()))) {
                                first = new HeldBy(other.scanId(), other.scannedAt());
                            }
                        }
                        return first;
                    }
                }

                @Override
                public boolean claimedBy(Scan scan) {
                    synchronized (Window.this) {
                        return claimed.stream().anyMatch(c -> sameClaim(c, scan));
                    }
                }

                @Override
                public Claim claim(Scan scan, Instant scansEnd) {
                    synchronized (Window.this) {
                        HeldBy first = holder(scan);
                        if (first != null) return first;
                        // an earlier body under the same id gives its place up
                        claimed.removeIf(c -> c.scanId().equals(scan.scanId()) && sameLane(c, scan));
                        claimed.add(scan);
                        return new Claimed();
                    }
                }

                @Override
                public void release(Scan scan) {
                    synchronized (Window.this) {
                        claimed.removeIf(c -> sameClaim(c, scan));
                    }
                }
            };
        }

        private static boolean sameLane(Scan a, Scan b) {
            return a.eventId().equals(b.eventId()) && a.participantId().equals(b.participantId())
                    && a.gateId().equals(b.gateId()) && a.direction() == b.direction();
        }

        private static boolean sameClaim(Scan a, Scan b) {
            return a.scanId().equals(b.scanId()) && sameLane(a, b) && a.scannedAt().equals(b.scannedAt());
        }
    }

    public static final class Log implements OutcomeLog {
        public final Map<ScanRef, Outcome> byScan = new LinkedHashMap<>();
        public final Map<String, Outcome> malformed = new LinkedHashMap<>();
        /** Set to make the next recordFirst of this scan id throw once, like a throttled write. */
        public String failOnceFor;
        /** Set to make every write of this scan id as sent throw, like a store refusing its content. */
        public String refuseContentOf;

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
                throw new FailureClassifier.TransientFailure("injected: throttled");
            }
            if (outcome.scanId().equals(refuseContentOf) && outcome.reason() != RejectReason.UNPROCESSABLE) {
                throw new IllegalArgumentException("injected: item too large");
            }
            return byScan.computeIfAbsent(outcome.ref(), ref -> outcome);
        }

        @Override
        public synchronized void recordRefused(Collection<Outcome> outcomes) {
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
