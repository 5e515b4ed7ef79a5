package com.headcount.testing;

import com.headcount.core.decision.AcceptedScans;
import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.FailureClassifier;
import com.headcount.core.decision.Outcome;
import com.headcount.core.decision.OutcomeLog;
import com.headcount.core.decision.RejectReason;
import com.headcount.core.decision.ScanRef;
import com.headcount.core.decision.window.BlockId;
import com.headcount.core.decision.window.BlockItem;
import com.headcount.core.decision.window.BlockWindow;
import com.headcount.core.decision.window.Slot;
import com.headcount.core.decision.window.WindowModel;
import com.headcount.core.decision.window.WindowStore;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fakes of the core's ports for unit tests of the core. The window is the real protocol (the core's model) over items
 * in memory; its rule is checked by brute force in the tests (compare with every accepted scan).
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

    /**
     * The window's items in memory, each write atomic under the condition the model states: the same protocol as
     * DynamoDB's ({@link BlockWindow} over a {@link WindowStore}), so buckets, blocks and mirrors are tested in
     * milliseconds. {@link #onAccess} runs before every read and write (a property test interleaves and crashes
     * deliveries there).
     */
    public static class Blocks implements WindowStore {
        public final Map<BlockId, BlockItem> items = new HashMap<>();
        public Runnable onAccess = () -> {};

        @Override
        public Map<BlockId, BlockItem> readAll(Collection<BlockId> ids) {
            onAccess.run();
            synchronized (this) {
                Map<BlockId, BlockItem> found = new HashMap<>();
                for (BlockId id : ids) if (items.containsKey(id)) found.put(id, items.get(id));
                return found;
            }
        }

        @Override
        public BlockItem read(BlockId id) {
            onAccess.run();
            synchronized (this) {
                return items.getOrDefault(id, BlockItem.absent(id));
            }
        }

        @Override
        public Optional<BlockItem> claim(BlockId id, Scan scan, Slot slot, long expiresAt, Instant now) {
            onAccess.run();
            synchronized (this) {
                BlockItem current = items.getOrDefault(id, BlockItem.absent(id));
                if (!WindowModel.claimAllowed(current, scan, now)) return Optional.of(current);
                items.put(id, current.with(WindowModel.bucketOf(scan), slot, expiresAt));
                return Optional.empty();
            }
        }

        @Override
        public boolean replaceExpired(BlockId id, long bucket, Slot slot, long expiresAt, long seenExpiresAt) {
            onAccess.run();
            synchronized (this) {
                BlockItem current = items.get(id);
                if (current == null || current.expiresAt() != seenExpiresAt) return false;
                items.put(id, current.replacedBy(bucket, slot, expiresAt));
                return true;
            }
        }

        @Override
        public void remove(BlockId id, long bucket, Slot expected, boolean checkStamp) {
            onAccess.run();
            synchronized (this) {
                BlockItem current = items.get(id);
                if (current != null && WindowModel.removable(current, bucket, expected, checkStamp)) {
                    items.put(id, current.without(bucket));
                }
            }
        }

        /** Every slot (claims and mirrors) with the item holding it. */
        public synchronized List<Map.Entry<BlockId, Slot>> slots() {
            List<Map.Entry<BlockId, Slot>> all = new ArrayList<>();
            items.forEach((id, item) -> item.slots().values().forEach(slot -> all.add(Map.entry(id, slot))));
            return all;
        }
    }

    /** The window of the core's unit tests: the model over {@link Blocks}, remembering the scans it saw. */
    public static final class Window implements DedupWindow {
        public final Blocks blocks = new Blocks();
        private final Map<String, Scan> seen = new java.util.concurrent.ConcurrentHashMap<>();
        private final DedupWindow window;

        public Window() {
            this(java.time.Clock.systemUTC(), BlockWindow.Pause.SLEEP);
        }

        public Window(java.time.Clock wall, BlockWindow.Pause pause) {
            window = new BlockWindow(blocks, java.time.Duration.ofDays(2), wall, pause);
        }

        @Override
        public Batch open(Collection<Scan> scans, Instant now) {
            scans.forEach(s -> seen.put(WindowModel.lane(s) + "|" + s.scanId() + "@" + s.scannedAt().toEpochMilli(), s));
            return window.open(scans, now);
        }

        /** The scans holding a claim in their own block (mirrors are not counted twice). */
        public List<Scan> claimed() {
            List<Scan> claims = new ArrayList<>();
            for (var e : blocks.slots()) {
                Scan scan = seen.get(e.getKey().lane() + "|" + e.getValue().scanId() + "@" + e.getValue().at().toEpochMilli());
                if (scan != null && WindowModel.ownBlock(scan).equals(e.getKey())) claims.add(scan);
            }
            return claims;
        }
    }

    public static final class Log implements OutcomeLog {
        public final Map<ScanRef, Outcome> byScan = new LinkedHashMap<>();
        public final Map<String, Outcome> malformed = new LinkedHashMap<>();
        /** Set to make the next recordFirst of this scan id throw once, like a throttled write. */
        public String failOnceFor;
        /** Set to make the next recordFirst of this scan id store its outcome and then throw once: a lost answer. */
        public String storeThenFailOnceFor;
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
            Outcome first = byScan.computeIfAbsent(outcome.ref(), ref -> outcome);
            if (outcome.scanId().equals(storeThenFailOnceFor)) {
                storeThenFailOnceFor = null;
                throw new FailureClassifier.TransientFailure("injected: timed out after the write");
            }
            return first;
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
