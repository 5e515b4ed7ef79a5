package com.headcount.device.edge;

import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** An event, its allow-list and scans, for the gate's tests. */
public final class EdgeFixtures {

    public static final String EVENT = "evt-edge";
    public static final String GATE = "north";
    public static final Instant START = Instant.parse("2026-11-26T09:00:00Z");

    private EdgeFixtures() {}

    /** P-1..P-n active, except P-3 cancelled. */
    public static AllowList list(String eventId, String gateId, long version, int participants, EdgePolicy policy) {
        List<Participant> ps = new ArrayList<>();
        for (int i = 1; i <= participants; i++) ps.add(new Participant(eventId, "P-" + i, i == 3 ? "cancelled" : "active"));
        return AllowList.of(AttendanceEvent.withDefaults(eventId, START, START.plus(Duration.ofHours(8)), ZoneId.of("UTC")),
                version, START.minus(Duration.ofHours(1)), policy, List.of(new Gate(eventId, gateId, null, true, 30)), ps);
    }

    public static AllowList list(long version, EdgePolicy policy) {
        return list(EVENT, GATE, version, 10, policy);
    }

    public static void load(AllowListStore store, AllowList list) throws IOException {
        byte[] text = AllowListCodec.canonical(list);
        store.replace(list, AllowListCodec.gzip(text), AllowListCodec.sha256(text));
    }

    public static Scan scan(String id, String participant, Instant at) {
        return new Scan(id, EVENT, participant, GATE, at, "Z", ScanMethod.QR_SCAN, Direction.ENTRY, null, null);
    }

    /** A clock a test moves by hand. */
    public static final class MovableClock extends Clock {
        private volatile Instant now;

        public MovableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
