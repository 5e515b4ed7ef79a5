package com.headcount.core.allowlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The cloud's side of the allow-list with in-memory ports: versions, deltas, answers, and what is not published. */
class AllowListsTest {

    private static final String E = "evt-1";

    /** The event's data and pointer, as DynamoDB holds them. */
    static class MemorySource implements AllowLists.Source {
        final Map<String, Participant> participants = new TreeMap<>();
        final Map<String, Gate> gates = new TreeMap<>();
        EdgePolicy policy = EdgePolicy.defaults();
        long reserved;
        AllowLists.Published published;
        boolean eventExists = true;

        MemorySource() {
            for (Gate g : AllowListTest.GATES) gates.put(g.gateId(), g);
            for (int i = 1; i <= 20; i++) status("P-" + i, "active");
        }

        void status(String id, String status) {
            participants.put(id, new Participant(E, id, status));
        }

        @Override
        public long reserveVersion(String eventId) {
            return ++reserved;
        }

        @Override
        public Optional<AllowLists.Snapshot> read(String eventId) {
            if (!eventExists || !eventId.equals(E)) return Optional.empty();
            return Optional.of(new AllowLists.Snapshot(AllowListTest.EVENT, policy, List.copyOf(gates.values()),
                    List.copyOf(participants.values()), Optional.ofNullable(published)));
        }

        @Override
        public boolean hasGate(String eventId, String gateId) {
            return gates.containsKey(gateId);
        }

        @Override
        public Optional<AllowLists.Published> published(String eventId) {
            return eventId.equals(E) ? Optional.ofNullable(published) : Optional.empty();
        }

        @Override
        public Optional<AllowLists.Published> publish(String eventId, AllowLists.Published version) {
            if (published != null && published.version() >= version.version()) return null;
            Optional<AllowLists.Published> before = Optional.ofNullable(published);
            published = version;
            return before;
        }
    }

    static class MemoryStore implements AllowLists.Store {
        final Map<Long, byte[]> objects = new HashMap<>();

        @Override
        public void put(String eventId, long version, byte[] gzip) {
            objects.put(version, gzip);
        }

        @Override
        public Optional<byte[]> get(String eventId, long version) {
            return Optional.ofNullable(objects.get(version));
        }

        @Override
        public URI url(String eventId, long version, Duration validFor) {
            return URI.create("https://lists.example/" + eventId + "/" + version + "?for=" + validFor.toSeconds());
        }
    }

    record Message(String topic, Map<String, Object> body) {}

    static final class MemoryChannel implements AllowLists.Channel {
        final List<Message> sent = new ArrayList<>();

        @Override
        public void answer(String eventId, String gateId, byte[] json) {
            sent.add(new Message(gateId, map(json)));
        }

        @Override
        public void delta(String eventId, byte[] json) {
            sent.add(new Message("deltas", map(json)));
        }
    }

    private final MemorySource source = new MemorySource();
    private final MemoryStore store = new MemoryStore();
    private final MemoryChannel channel = new MemoryChannel();
    private final AllowLists lists = new AllowLists(source, store, channel,
            Clock.fixed(AllowListTest.START, ZoneOffset.UTC), Duration.ofMinutes(5));

    @Test
    void aGateAskingForAnEventWithoutAListHasOneBuiltAndIsAnsweredWithItsHashAndAShortLivedUrl() {
        lists.answer(E, "north", null);
        assertEquals(1, source.published.version());
        AllowList stored = AllowListCodec.verified(store.objects.get(1L), E, 1, source.published.sha256());
        assertEquals(20, stored.participantCount());
        assertEquals(new Message("north", Map.of("eventId", E, "version", 1, "sha256", source.published.sha256(),
                "url", "https://lists.example/evt-1/1?for=300")), channel.sent.getLast());
        assertEquals(List.of("east", "north", "north"), channel.sent.stream().map(Message::topic).toList(),
                "the first version is announced to each gate (one online without a list takes it), then the answer");
    }

    @Test
    void aGateHoldingTheCurrentVersionGetsNoUrlAndAGateOfNoSuchEventOrNotOfTheEventGetsNothing() {
        lists.rebuild(E);
        channel.sent.clear();
        channel.sent.clear();
        lists.answer(E, "north", 1L);
        assertFalse(channel.sent.get(0).body().containsKey("url"), "it is current: nothing to fetch");
        lists.answer(E, "intruder", null);
        source.eventExists = false;
        lists.answer("evt-other", "north", null);
        assertEquals(1, channel.sent.size(), "only the first was answered: " + channel.sent);
    }

    @Test
    void askingOverHttpGetsTheAnswerAGateGetsWithTheUrlsExpiryAndNothingIsPublished() {
        lists.rebuild(E);
        channel.sent.clear();
        AllowLists.Answer answer = lists.ask(E, "north", null).orElseThrow();
        assertEquals(new AllowLists.Answer(E, "north", source.published, URI.create("https://lists.example/evt-1/1?for=300"),
                AllowListTest.START.plus(Duration.ofMinutes(5))), answer);
        assertEquals(Map.of("eventId", E, "version", 1, "sha256", source.published.sha256(),
                "url", "https://lists.example/evt-1/1?for=300"), map(answer.gateJson()), "the gate's form of it");
        assertTrue(channel.sent.isEmpty(), "the asker is answered, no gate is told: " + channel.sent);
        AllowLists.Answer current = lists.ask(E, "north", 1L).orElseThrow();
        assertEquals(null, current.url());
        assertEquals(null, current.urlExpiresAt());
        assertEquals(Optional.empty(), lists.ask(E, "intruder", null));
    }

    @Test
    void theExpiryAnAnswerStatesIsNeverLaterThanTheOneItsUrlCarries() {
        lists.rebuild(E);
        // a store that signs as S3 and the local bucket do: whole seconds of its own, later, clock
        var signingAt = AllowListTest.START.plusMillis(1999);
        var lateStore = new MemoryStore() {
            @Override
            public URI url(String eventId, long version, Duration validFor) {
                return URI.create("https://lists.example/x?expires=" + signingAt.plus(validFor).getEpochSecond());
            }
        };
        var asked = new AllowLists(source, lateStore, channel, Clock.fixed(AllowListTest.START.plusMillis(1500),
                ZoneOffset.UTC), Duration.ofMinutes(5)).ask(E, "north", null).orElseThrow();
        long carried = Long.parseLong(asked.url().getQuery().substring("expires=".length()));
        assertTrue(asked.urlExpiresAt().getEpochSecond() <= carried, asked.urlExpiresAt() + " vs " + carried);
        assertEquals(0, asked.urlExpiresAt().getNano(), "whole seconds");
    }

    @Test
    void aChangeBecomesANewVersionAndOneDeltaForTheEventsGatesWhichTurnsTheOldListIntoTheNew() {
        lists.rebuild(E);
        channel.sent.clear();
        AllowList v1 = AllowListCodec.verified(store.objects.get(1L), E, 1, source.published.sha256());
        source.status("P-7", "inactive");
        lists.changed(E);
        assertEquals(2, source.published.version());
        assertEquals(1, channel.sent.size());
        assertEquals("deltas", channel.sent.get(0).topic());
        AllowListDelta delta = AllowListDelta.fromJson(json(channel.sent.get(0).body()));
        assertEquals(Map.of("P-7", "inactive"), delta.participants());
        AllowList v2 = delta.applyTo(v1);
        assertEquals("participant_inactive", EdgeRules.decide(
                new com.headcount.core.scan.Scan("s", E, "P-7", "north", AllowListTest.START.plusSeconds(60), "Z",
                        com.headcount.core.scan.ScanMethod.QR_SCAN, com.headcount.core.scan.Direction.ENTRY, null, null),
                v2, AllowListTest.START.plusSeconds(60), s -> Optional.empty()).reason().code());
    }

    @Test
    void aListBuiltMoreThanADayAgoIsBuiltAgainWhenAGateAsksSoItsObjectOutlivesTheURL() {
        lists.rebuild(E);
        var later = new AllowLists(source, store, channel, Clock.fixed(AllowListTest.START.plus(Duration.ofHours(25)),
                ZoneOffset.UTC), Duration.ofMinutes(5));
        later.answer(E, "north", 1L);
        assertEquals(2, source.published.version(), "renewed, unchanged");
        assertEquals("https://lists.example/evt-1/2?for=300", channel.sent.getLast().body().get("url"));
        lists.answer(E, "north", 2L);
        assertEquals(2, source.published.version(), "fresh: not built again");
    }

    @Test
    void aWriteThatChangesNothingAGateUsesPublishesNothing() {
        lists.rebuild(E);
        channel.sent.clear();
        lists.changed(E);
        assertEquals(1, source.published.version());
        assertTrue(channel.sent.isEmpty(), "no message: " + channel.sent);
        assertEquals(1, store.objects.size());
    }

    @Test
    void theEdgePolicyTravelsInTheListAndItsChangeInTheDelta() {
        lists.rebuild(E);
        channel.sent.clear();
        source.policy = new EdgePolicy(Duration.ofMinutes(30), EdgePolicy.WhenStale.REFUSE);
        lists.changed(E);
        AllowListDelta delta = AllowListDelta.fromJson(json(channel.sent.get(0).body()));
        assertEquals(source.policy, delta.policy());
        AllowList v2 = AllowListCodec.verified(store.objects.get(2L), E, 2, source.published.sha256());
        assertEquals(source.policy, v2.policy());
    }

    @Test
    void withoutTheOldListToDiffAgainstEachGateIsToldOfTheNewListWithItsUrl() {
        lists.rebuild(E);
        channel.sent.clear();
        store.objects.clear(); // expired by the lifecycle rule, say
        source.status("P-8", "cancelled");
        lists.changed(E);
        assertEquals(List.of("east", "north"), channel.sent.stream().map(Message::topic).sorted().toList());
        assertEquals("https://lists.example/evt-1/2?for=300", channel.sent.get(0).body().get("url"));
    }

    @Test
    void aRebuildThatLosesTheRaceToANewerVersionTellsNoGate() {
        lists.rebuild(E);
        channel.sent.clear();
        // another rebuild reserved and published v3 while this one was between its reservation and its publication
        AllowLists.Published newer = new AllowLists.Published(3, "f".repeat(64));
        AllowLists.Source racing = new MemorySource() {
            @Override
            public Optional<AllowLists.Published> publish(String eventId, AllowLists.Published version) {
                return null;
            }

            @Override
            public Optional<AllowLists.Published> published(String eventId) {
                return Optional.of(newer);
            }
        };
        new AllowLists(racing, store, channel, Clock.systemUTC(), Duration.ofMinutes(5)).changed(E);
        assertTrue(channel.sent.isEmpty(), "the winner tells the gates: " + channel.sent);
    }

    private static Map<String, Object> map(byte[] json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] json(Map<String, Object> m) {
        try {
            return JSON.std.asBytes(m);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
