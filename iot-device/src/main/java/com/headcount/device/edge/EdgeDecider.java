package com.headcount.device.edge;

import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.EdgeRules;
import com.headcount.core.decision.Verdict;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The gate's own decision of each scan: the allow-list it holds ({@link AllowListStore}), its own window on disk
 * ({@link GateWindow}), the cloud's rules ({@link EdgeRules}), and the event's policy for a list past its maximum age.
 * It decides the same online and offline: the only difference offline is that the list's age grows.
 */
public final class EdgeDecider implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EdgeDecider.class.getName());

    private final AllowListStore store;
    private final GateWindow window;
    private final Clock clock;
    private final ScanParser parser = new ScanParser();

    public EdgeDecider(AllowListStore store, GateWindow window, Clock clock) {
        this.store = store;
        this.window = window;
        this.clock = clock;
    }

    /** The list and the window of one event at this gate, in {@code folder}. */
    public static EdgeDecider open(Path folder, String eventId, Clock clock) throws IOException {
        return new EdgeDecider(AllowListStore.open(folder, eventId, clock), GateWindow.open(folder.resolve("window.log")),
                clock);
    }

    public AllowListStore store() {
        return store;
    }

    public GateWindow window() {
        return window;
    }

    /**
     * The scan as the cloud will read it, by the same parser: empty for a message the cloud will call malformed, which
     * the gate does not decide.
     */
    public Optional<Scan> parse(byte[] scanJson) {
        return parser.parse(scanJson) instanceof ParsedScan.Valid valid ? Optional.of(valid.scan()) : Optional.empty();
    }

    public GateAnswer decide(Scan scan) throws IOException {
        Optional<AllowList> held = store.list();
        Optional<Duration> age = store.age();
        if (held.isEmpty()) {
            return new GateAnswer(scan.scanId(), scan.participantId(), GateAnswer.State.NO_ALLOW_LIST, Optional.empty(), age);
        }
        AllowList list = held.get();
        boolean stale = list.policy().stale(age.orElseThrow());
        if (stale && list.policy().whenStale() == com.headcount.core.allowlist.EdgePolicy.WhenStale.REFUSE) {
            return new GateAnswer(scan.scanId(), scan.participantId(), GateAnswer.State.REFUSED_STALE, Optional.empty(), age);
        }
        EdgeRules.Provisional provisional = EdgeRules.decide(scan, list, clock.instant(), window);
        if (provisional.verdict() == Verdict.ACCEPTED) window.accept(scan);
        return new GateAnswer(scan.scanId(), scan.participantId(),
                stale ? GateAnswer.State.DECIDED_STALE : GateAnswer.State.DECIDED, Optional.of(provisional), age);
    }

    /**
     * The cloud's final decision of a scan the gate decided: a correction when they differ, and the window follows
     * the cloud.
     */
    public Optional<Correction> reconcile(Scan scan, EdgeRules.Provisional provisional, String cloudOutcome,
                                          String cloudReason) {
        boolean sameVerdict = provisional.verdict().wireName().equals(cloudOutcome);
        boolean sameReason = provisional.reason() == null ? cloudReason == null
                : Objects.equals(provisional.reason().code(), cloudReason);
        try {
            if ("accepted".equals(cloudOutcome)) {
                window.accept(scan);
            } else {
                window.release(scan.scanId());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the gate's window could not follow the cloud's decision of "
                    + scan.scanId() + ": " + e);
        }
        if (sameVerdict && sameReason) return Optional.empty();
        return Optional.of(new Correction(scan.scanId(), scan.participantId(), provisional, cloudOutcome, cloudReason));
    }

    @Override
    public void close() throws IOException {
        window.close();
    }
}
