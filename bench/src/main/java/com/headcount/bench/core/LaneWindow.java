package com.headcount.bench.core;

import com.headcount.core.decision.DedupWindow;
import com.headcount.core.decision.WindowRule;
import com.headcount.core.scan.Scan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dedup window in memory, by lane (event, participant, gate, direction) as DynamoDB keys it: a lookup costs the
 * same with ten claims as with a million, so the benchmark measures the core and not a fake's list scan (the unit
 * tests' window is a plain list). One thread at a time, as one ingest instance decides.
 */
final class LaneWindow implements DedupWindow {

    private final Map<String, List<Scan>> lanes = new HashMap<>();

    @Override
    public Batch open(Collection<Scan> scans, Instant now) {
        return new Batch() {
            @Override
            public HeldBy holder(Scan scan) {
                HeldBy first = null;
                for (Scan other : lanes.getOrDefault(lane(scan), List.of())) {
                    if (!other.scanId().equals(scan.scanId()) && WindowRule.collide(other.scannedAt(), scan.scannedAt())
                            && (first == null || other.scannedAt().isBefore(first.scannedAt()))) {
                        first = new HeldBy(other.scanId(), other.scannedAt());
                    }
                }
                return first;
            }

            @Override
            public boolean claimedBy(Scan scan) {
                return lanes.getOrDefault(lane(scan), List.of()).stream()
                        .anyMatch(c -> c.scanId().equals(scan.scanId()) && c.scannedAt().equals(scan.scannedAt()));
            }

            @Override
            public Claim claim(Scan scan, Instant scansEnd) {
                HeldBy first = holder(scan);
                if (first != null) return first;
                List<Scan> lane = lanes.computeIfAbsent(lane(scan), k -> new ArrayList<>(2));
                lane.removeIf(c -> c.scanId().equals(scan.scanId()));
                lane.add(scan);
                return new Claimed();
            }

            @Override
            public void release(Scan scan) {
                lanes.getOrDefault(lane(scan), new ArrayList<>())
                        .removeIf(c -> c.scanId().equals(scan.scanId()) && c.scannedAt().equals(scan.scannedAt()));
            }
        };
    }

    private static String lane(Scan s) {
        return s.eventId() + '|' + s.participantId() + '|' + s.gateId() + '|' + s.direction();
    }
}
