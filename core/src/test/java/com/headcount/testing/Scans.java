package com.headcount.testing;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.scan.Direction;
import com.headcount.core.scan.Scan;
import com.headcount.core.scan.ScanMethod;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/** A small event to decide scans against: doors 09:00–18:00 UTC on the demo day, two gates, a few participants. */
public final class Scans {

    public static final String EVENT = "demo-2026";
    public static final Instant START = Instant.parse("2026-11-26T09:00:00Z");
    public static final Instant END = Instant.parse("2026-11-26T18:00:00Z");
    public static final AttendanceEvent EVENT_SETTINGS =
            AttendanceEvent.withDefaults(EVENT, START, END, ZoneId.of("Europe/Berlin"));

    private Scans() {}

    public static InMemoryStores.Reference reference() {
        return new InMemoryStores.Reference()
                .put(new ReferenceKey.OfEvent(EVENT), EVENT_SETTINGS)
                .put(new ReferenceKey.OfGate(EVENT, "north"), new Gate(EVENT, "north", "North gate", true, 30))
                .put(new ReferenceKey.OfGate(EVENT, "south"), new Gate(EVENT, "south", "South gate", true, 20))
                .put(new ReferenceKey.OfGate(EVENT, "closed"), new Gate(EVENT, "closed", "Closed gate", false, 10))
                .put(new ReferenceKey.OfParticipant(EVENT, "p-1"), new Participant(EVENT, "p-1", "active"))
                .put(new ReferenceKey.OfParticipant(EVENT, "p-2"), new Participant(EVENT, "p-2", "active"))
                .put(new ReferenceKey.OfParticipant(EVENT, "p-cancelled"), new Participant(EVENT, "p-cancelled", "cancelled"));
    }

    public static Scan scan(String participantId, String gateId, Instant at) {
        return scan(UUID.randomUUID().toString(), participantId, gateId, at, Direction.ENTRY);
    }

    public static Scan scan(String scanId, String participantId, String gateId, Instant at, Direction direction) {
        return new Scan(scanId, EVENT, participantId, gateId, at, "+01:00", ScanMethod.QR_SCAN, direction, null, Map.of());
    }
}
