package com.headcount.bench.cost;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Every billed request of a run, summed by where it went and which scans it was for. A request is charged to the scan
 * whose id it carries (an outcome's item, a window claim's {@code :scanId}), or to the scan a caller set on its thread
 * ({@link #working}); a request for many scans at once (a batch read, a batch publish) is charged to a stage-wide
 * class ({@code shared}, or {@code accepted} where only accepted scans are concerned). During a redelivery everything
 * is charged to {@code redelivered}.
 */
public final class Ledger {

    /** Where a cost went. {@code target} is a table, {@code table/index}, or {@code kinesis:stream}. */
    public record Line(String stage, String outcome, String target, String operation) implements Comparable<Line> {
        @Override
        public int compareTo(Line o) {
            return java.util.Comparator.comparing(Line::stage).thenComparing(Line::outcome).thenComparing(Line::target)
                    .thenComparing(Line::operation).compare(this, o);
        }
    }

    /** Totals of one line. */
    public static final class Cost {
        final LongAdder requests = new LongAdder();
        final DoubleAdder wru = new DoubleAdder();
        final DoubleAdder rru = new DoubleAdder();
        final LongAdder records = new LongAdder();
        final LongAdder billedKb = new LongAdder();
        final LongAdder bytes = new LongAdder();

        public long requests() { return requests.sum(); }
        public double wru() { return wru.sum(); }
        public double rru() { return rru.sum(); }
        public long records() { return records.sum(); }
        /** Kinesis ingest is billed per record rounded up to a KB. */
        public long billedKb() { return billedKb.sum(); }
        public long bytes() { return bytes.sum(); }
    }

    private final Map<Line, Cost> lines = new ConcurrentHashMap<>();
    private final Function<String, String> outcomeOfScan;
    private final ThreadLocal<String> working = new ThreadLocal<>();
    private volatile String phase;

    /** @param outcomeOfScan a scan id's outcome (the simulator's ground truth) */
    public Ledger(Function<String, String> outcomeOfScan) {
        this.outcomeOfScan = outcomeOfScan;
    }

    /** Charges everything from now on to this outcome class (null: by scan, as usual). */
    public void phase(String outcome) {
        this.phase = outcome;
    }

    /** The scan this thread works on, for requests that carry no scan id (null: none). */
    public void working(String scanId) {
        if (scanId == null) working.remove();
        else working.set(scanId);
    }

    /** @param scanId the scan the request was for, or null; {@code unattributed} is used then */
    public Cost line(String stage, String scanId, String unattributed, String target, String operation) {
        String id = scanId != null ? scanId : working.get();
        String outcome = phase != null ? phase : id != null ? outcomeOfScan.apply(id) : unattributed;
        return lines.computeIfAbsent(new Line(stage, outcome == null ? "unknown" : outcome, target, operation),
                l -> new Cost());
    }

    public void charge(Cost cost, double wru, double rru) {
        cost.requests.increment();
        cost.wru.add(wru);
        cost.rru.add(rru);
    }

    public void chargeRecords(Cost cost, int records, long billedKb, long bytes) {
        cost.records.add(records);
        cost.billedKb.add(billedKb);
        cost.bytes.add(bytes);
    }

    public Map<Line, Cost> lines() {
        return new TreeMap<>(lines);
    }

    public void clear() {
        lines.clear();
    }
}
