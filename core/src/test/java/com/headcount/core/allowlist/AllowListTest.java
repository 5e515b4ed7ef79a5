package com.headcount.core.allowlist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllowListTest {

    static final Instant START = Instant.parse("2026-11-26T09:00:00Z");
    static final AttendanceEvent EVENT = AttendanceEvent.withDefaults("evt-1", START, START.plus(Duration.ofHours(8)),
            ZoneId.of("Europe/Amsterdam"));
    static final List<Gate> GATES = List.of(new Gate("evt-1", "north", "North door", true, 30),
            new Gate("evt-1", "east", null, false, 10));

    static AllowList list(long version, int participants) {
        List<Participant> ps = new ArrayList<>();
        for (int i = 1; i <= participants; i++) {
            ps.add(new Participant("evt-1", "P-%06d".formatted(i), i % 50 == 0 ? "cancelled" : "active"));
        }
        return AllowList.of(EVENT, version, START.minus(Duration.ofDays(1)), EdgePolicy.defaults(), GATES, ps);
    }

    @Test
    void theSameContentGivesTheSameBytesAndHashWhateverOrderItCameIn() {
        List<Participant> ps = new ArrayList<>();
        for (int i = 0; i < 200; i++) ps.add(new Participant("evt-1", "P-" + i, i % 3 == 0 ? "inactive" : "active"));
        AllowList a = AllowList.of(EVENT, 3, START, EdgePolicy.defaults(), GATES, ps);
        Collections.shuffle(ps, new java.util.Random(7));
        AllowList b = AllowList.of(EVENT, 3, START, EdgePolicy.defaults(), GATES.reversed(), ps);
        assertArrayEquals(AllowListCodec.canonical(a), AllowListCodec.canonical(b));
        assertEquals(AllowListCodec.sha256(a), AllowListCodec.sha256(b));
        assertEquals(64, AllowListCodec.sha256(a).length());

        AllowList read = AllowListCodec.parse(AllowListCodec.canonical(a));
        assertEquals(a, read);
        assertEquals("inactive", read.participant("P-3").orElseThrow().status());
        assertEquals(EVENT.clockSkewTolerance(), read.event().clockSkewTolerance());
        assertEquals(EVENT.timeZone(), read.event().timeZone());
        assertFalse(read.gate("east").orElseThrow().active());
    }

    @Test
    void aLoadedListIsProvenByItsAnnouncedHashVersionAndEvent() {
        AllowList list = list(5, 1000);
        byte[] wire = AllowListCodec.gzip(AllowListCodec.canonical(list));
        String hash = AllowListCodec.sha256(list);
        assertEquals(list, AllowListCodec.verified(wire, "evt-1", 5, hash));

        // one participant's status changed on the way: the hash no longer matches
        String text = new String(AllowListCodec.canonical(list), StandardCharsets.UTF_8);
        String tampered = text.replace("P-000051\t0", "P-000051\t1");
        assertNotEquals(text, tampered);
        byte[] tamperedWire = AllowListCodec.gzip(tampered.getBytes(StandardCharsets.UTF_8));
        var refused = assertThrows(AllowListIntegrityException.class,
                () -> AllowListCodec.verified(tamperedWire, "evt-1", 5, hash));
        assertTrue(refused.getMessage().contains("hash"), refused.getMessage());

        assertThrows(AllowListIntegrityException.class, () -> AllowListCodec.verified(wire, "evt-1", 4, hash),
                "an older version replayed under a newer announcement");
        assertThrows(AllowListIntegrityException.class, () -> AllowListCodec.verified(wire, "evt-2", 5, hash));
        assertThrows(AllowListIntegrityException.class,
                () -> AllowListCodec.verified("not gzip".getBytes(StandardCharsets.UTF_8), "evt-1", 5, hash));
    }

    @Test
    void textNotInTheCanonicalFormIsRefusedEvenWithAMatchingHash() {
        String text = new String(AllowListCodec.canonical(list(1, 3)), StandardCharsets.UTF_8);
        String swapped = text.replace("P-000001\t0\nP-000002\t0\n", "P-000002\t0\nP-000001\t0\n");
        assertNotEquals(text, swapped);
        byte[] bytes = swapped.getBytes(StandardCharsets.UTF_8);
        assertThrows(AllowListIntegrityException.class,
                () -> AllowListCodec.verified(AllowListCodec.gzip(bytes), "evt-1", 1, AllowListCodec.sha256(bytes)));
        assertThrows(AllowListIntegrityException.class,
                () -> AllowListCodec.parse((text + "P-9\t0\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDeltaMakesExactlyTheNewListAndOnlyFromTheVersionItNames() {
        AllowList v1 = list(1, 2000);
        List<Participant> ps = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            if (i == 7) continue; // removed
            String status = i == 10 ? "inactive" : i % 50 == 0 ? "cancelled" : "active";
            ps.add(new Participant("evt-1", "P-%06d".formatted(i), status));
        }
        ps.add(new Participant("evt-1", "P-new", "active"));
        List<Gate> gates = List.of(new Gate("evt-1", "north", null, false, 30), new Gate("evt-1", "east", null, false, 10),
                new Gate("evt-1", "west", null, true, 20));
        AllowList v2 = AllowList.of(EVENT, 2, START, new EdgePolicy(Duration.ofMinutes(30), EdgePolicy.WhenStale.REFUSE),
                gates, ps);

        AllowListDelta delta = AllowListDelta.between(v1, v2);
        assertEquals(Map.of("P-000007", "removed", "P-000010", "inactive", "P-new", "active").keySet(),
                delta.participants().keySet());
        assertEquals(null, delta.participants().get("P-000007"));
        assertEquals(2, delta.gates().size(), "north changed, west added, east unchanged");
        assertTrue(delta.toJson().length < 1000, "a small change is a small message: " + delta.toJson().length);

        AllowListDelta overTheWire = AllowListDelta.fromJson(delta.toJson());
        AllowList applied = overTheWire.applyTo(v1);
        assertEquals(v2, applied);
        assertEquals(2, applied.version());
        assertEquals(EdgePolicy.WhenStale.REFUSE, applied.policy().whenStale());
        assertTrue(applied.participant("P-000007").isEmpty());
        assertFalse(applied.participant("P-000010").orElseThrow().isActive());

        assertThrows(AllowListDelta.Gap.class, () -> overTheWire.applyTo(v2), "already at v2");
        assertThrows(AllowListDelta.Gap.class, () -> overTheWire.applyTo(list(3, 10)));
        AllowListDelta wrongHash = new AllowListDelta("evt-1", 1, 2, START, delta.participants(), delta.gates(), null,
                null, delta.sha256());
        assertThrows(AllowListIntegrityException.class, () -> wrongHash.applyTo(v1),
                "without the new policy the result is not the list the cloud made");
    }

    @Test
    void aListAnswersForItsOwnEventOnly() {
        AllowList list = list(1, 100);
        var found = list.lookup(List.of(new ReferenceKey.OfEvent("evt-1"), new ReferenceKey.OfGate("evt-1", "north"),
                new ReferenceKey.OfParticipant("evt-1", "P-000001"), new ReferenceKey.OfParticipant("evt-2", "P-000001"),
                new ReferenceKey.OfParticipant("evt-1", "P-999999")));
        assertTrue(found.event("evt-1").isPresent());
        assertTrue(found.gate("evt-1", "north").isPresent());
        assertTrue(found.participant("evt-1", "P-000001").orElseThrow().isActive());
        assertTrue(found.participant("evt-2", "P-000001").isEmpty());
        assertTrue(found.participant("evt-1", "P-999999").isEmpty());
    }

    @Test
    void aHundredThousandParticipantsTravelInAFewHundredKilobytes() {
        AllowList list = list(1, 100_000);
        byte[] text = AllowListCodec.canonical(list);
        byte[] wire = AllowListCodec.gzip(text);
        assertTrue(text.length < 1_300_000, "text " + text.length);
        assertTrue(wire.length < 400_000, "gzip " + wire.length);
        assertEquals(list, AllowListCodec.verified(wire, "evt-1", 1, AllowListCodec.sha256(text)));
    }
}
