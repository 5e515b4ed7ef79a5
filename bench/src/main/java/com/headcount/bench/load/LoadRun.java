package com.headcount.bench.load;

import com.headcount.bench.ProcessCpu;
import com.headcount.device.Direction;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run: every gate makes scans at its share of the rate, evenly spaced (open loop: a late gate does not slow the
 * schedule, it catches up), for the warm-up and the measured time; then the run waits for the decisions. Each
 * second it reads the stack's counters to see where scans wait.
 */
final class LoadRun {

    /** Where scans can wait, in the order they pass. */
    static final List<String> STAGES = List.of("gates' queues (not yet PUBACKed)", "topic rule (taken, not yet put)",
            "scans stream (put, not yet decided)", "way back (decided, not yet at the gate)");

    record Result(long made, long decided, int mostDecisionsForOneScan, long foreign, double measuredSeconds,
                  double madePerSecond, double decidedPerSecond, Percentiles scanToDecision, Percentiles queueWait,
                  Map<String, Double> cpuPercent, Map<String, long[]> backlogs, long ingestBehindMaxMs,
                  long statsBehindMaxMs, long scheduleLateMaxMs, Map<String, Double> requestsPerScan) {

        boolean everyScanDecidedOnce() {
            return decided == made && mostDecisionsForOneScan == 1;
        }
    }

    private final StackProcess stack;
    private final Publishers publishers;
    private final Tracker tracker;
    private final BenchEvent event;
    private final int rate;
    private final Duration warmup;
    private final Duration measured;
    private final AtomicInteger participant = new AtomicInteger();
    private final AtomicLong lateMaxNanos = new AtomicLong();

    LoadRun(StackProcess stack, Publishers publishers, Tracker tracker, BenchEvent event, int rate, Duration warmup,
            Duration measured) {
        this.stack = stack;
        this.publishers = publishers;
        this.tracker = tracker;
        this.event = event;
        this.rate = rate;
        this.warmup = warmup;
        this.measured = measured;
    }

    Result play(PrintStream out) throws Exception {
        int gates = event.gateIds().size();
        long period = Math.round(gates * 1e9 / rate);
        long start = System.nanoTime() + Duration.ofMillis(200).toNanos();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Thread> players = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int g = 0; g < gates; g++) {
            int gate = g;
            players.add(Thread.ofPlatform().name("bench-gate-" + g).start(() -> {
                try {
                    play(gate, start + period * gate / gates, period, measureFrom, end);
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        var sampler = new Sampler();
        Thread sampling = Thread.ofPlatform().name("bench-sampler").daemon().start(() -> sampler.run(measureFrom, end));
        sleepUntil(measureFrom);
        Map<String, Double> cpuBefore = cpuSeconds();
        Map<String, Object> requestsBefore = requests();
        long decidedBefore = tracker.decided();
        long madeBefore = tracker.made();
        sleepUntil(end);
        Map<String, Double> cpuAfter = cpuSeconds();
        Map<String, Object> requestsAfter = requests();
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        long madeInWindow = tracker.made() - madeBefore;
        long decidedInWindow = tracker.decided() - decidedBefore;
        for (Thread player : players) {
            player.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a gate failed", failures.getFirst());
        }
        out.printf("  load done (%d scans made); waiting for the last decisions...%n", tracker.made());
        awaitDecisions();
        sampler.stop();
        sampling.join();
        Map<String, Double> requestsPerScan = new java.util.TreeMap<>();
        requestsAfter.forEach((operation, count) -> requestsPerScan.put(operation, (((Number) count).longValue()
                - ((Number) requestsBefore.getOrDefault(operation, 0)).longValue()) / (double) Math.max(1, decidedInWindow)));
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpuAfter.forEach((name, after) -> cpu.put(name, (after - cpuBefore.getOrDefault(name, 0.0)) / seconds * 100));
        return new Result(tracker.made(), tracker.decided(), tracker.mostDecisionsForOneScan(), tracker.foreign(), seconds,
                madeInWindow / seconds, decidedInWindow / seconds, tracker.scanToDecision(), tracker.queueWait(), cpu,
                sampler.backlogs, sampler.ingestBehindMax, sampler.statsBehindMax, lateMaxNanos.get() / 1_000_000,
                requestsPerScan);
    }

    private void play(int gate, long first, long period, long measureFrom, long end) throws Exception {
        String gateId = event.gateIds().get(gate);
        Clock clock = Clock.systemUTC();
        for (long due = first; due < end; due += period) {
            sleepUntil(due);
            lateMaxNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
            Scan scan = Scan.now(clock, event.eventId(), gateId, BenchEvent.participant(participant.getAndIncrement()),
                    ScanMethod.QR_SCAN, Direction.ENTRY);
            boolean measure = due >= measureFrom;
            tracker.made(scan.scanId(), measure);
            publishers.send(gate, scan, measure);
        }
    }

    /** Until every scan has its decision, or nothing has moved for a minute. */
    private void awaitDecisions() throws InterruptedException {
        long last = -1;
        long lastProgress = System.nanoTime();
        while (tracker.decided() < tracker.made()) {
            long now = System.nanoTime();
            if (tracker.decided() != last) {
                last = tracker.decided();
                lastProgress = now;
            } else if (now - lastProgress > Duration.ofSeconds(60).toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
        // a decision told twice would come right behind the first: give it a moment to show
        Thread.sleep(1000);
    }

    private Map<String, Double> cpuSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Object> pids = pids();
        seconds.put("stack JVM", ProcessCpu.seconds(stack.pid()));
        pids.forEach((name, pid) -> {
            if (!name.equals("stack")) {
                seconds.put(name, ProcessCpu.treeSeconds(((Number) pid).longValue()));
            }
        });
        seconds.put("publishers", publishers.pids().stream().mapToDouble(ProcessCpu::seconds).sum());
        return seconds;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> requests() {
        return (Map<String, Object>) stack.metrics().get("requests");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> pids() {
        return (Map<String, Object>) stack.metrics().get("pids");
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    /** Each second: how many scans wait at each stage; kept as {sum over the measured seconds, samples, max}. */
    private final class Sampler {
        final Map<String, long[]> backlogs = new LinkedHashMap<>();
        volatile boolean running = true;
        long ingestBehindMax;
        long statsBehindMax;

        Sampler() {
            STAGES.forEach(stage -> backlogs.put(stage, new long[3]));
        }

        @SuppressWarnings("unchecked")
        void run(long measureFrom, long end) {
            while (running) {
                try {
                    Thread.sleep(1000);
                    Map<String, Object> m = stack.metrics();
                    var functions = (Map<String, Map<String, Object>>) m.get("functions");
                    long forwarded = number(m, "scansForwarded");
                    long ingested = number(functions.get("IngestFunction"), "recordsDone");
                    long published = number(m, "decisionsPublished");
                    long queued = publishers.queued();
                    long[] now = {Math.max(0, queued), number(m, "scansWaitingForPut"), Math.max(0, forwarded - ingested),
                            Math.max(0, published - tracker.decided())};
                    long t = System.nanoTime();
                    boolean inWindow = t >= measureFrom && t <= end + Duration.ofSeconds(1).toNanos();
                    for (int i = 0; i < STAGES.size(); i++) {
                        long[] b = backlogs.get(STAGES.get(i));
                        if (inWindow) {
                            b[0] += now[i];
                            b[1]++;
                        }
                        b[2] = Math.max(b[2], now[i]);
                    }
                    ingestBehindMax = Math.max(ingestBehindMax, number(functions.get("IngestFunction"), "millisBehindLatest"));
                    statsBehindMax = Math.max(statsBehindMax, number(functions.get("StatsFunction"), "millisBehindLatest"));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a sample missed (the stack busy): the next one counts
                }
            }
        }

        void stop() {
            running = false;
        }

        private static long number(Map<String, ?> map, String name) {
            Object value = map == null ? null : map.get(name);
            return value instanceof Number n ? n.longValue() : 0;
        }
    }
}
