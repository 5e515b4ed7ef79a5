package com.headcount.core.allowlist;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cloud's side of the allow-list (docs/architecture.md, "Deciding on the gate"): builds a new version when an
 * event's participants, gates or settings change, stores it, tells the gates that are online (a delta on the event's
 * deltas topic), and answers a gate that asks (its version, hash and a short-lived URL), over MQTT or, for a staff
 * phone at the gate, over the HTTP API.
 *
 * <p>Versions are reserved before the event is read, and every read is strongly consistent, so a version reflects
 * every change whose own rebuild reserved a lower or equal number: two rebuilds racing publish in any order and the
 * higher version, which gates keep, is the complete one. A rebuild that finds nothing changed publishes nothing (its
 * reserved number is a gap, which a gate never notices).
 */
public final class AllowLists implements AllowListChanges, AllowListAnswers {

    private static final System.Logger LOG = System.getLogger(AllowLists.class.getName());
    /**
     * IoT Core refuses messages over 128 KB; a delta larger than this (an import of thousands) is announced as a whole
     * new list instead, which each gate fetches from its URL.
     */
    static final int MAX_DELTA_BYTES = 100 * 1024;

    /** An event's reference data as one strongly consistent read, with the version its gates are told of. */
    public record Snapshot(AttendanceEvent event, EdgePolicy policy, Collection<Gate> gates,
                           Collection<Participant> participants, Optional<Published> published) {}

    /**
     * The version gates are told of, the SHA-256 of its canonical text, and when it was built.
     *
     * @param builtAt null for a version stored before this was kept: it counts as old
     */
    public record Published(long version, String sha256, Instant builtAt) {

        public Published(long version, String sha256) {
            this(version, sha256, null);
        }
    }

    /**
     * A list older than this is built again when a gate asks, even unchanged, so the object a URL names is never one
     * the bucket's lifecycle rule (which expires objects after 3 days) is about to remove.
     */
    public static final Duration REFRESH_AFTER = Duration.ofDays(1);

    /** The event's reference data and its allow-list pointer (DynamoDB in AWS and locally). */
    public interface Source {
        /** The next version number of the event's list; numbers only grow. */
        long reserveVersion(String eventId);

        /** Everything of the event, read after the reservation; empty when the event does not exist. */
        Optional<Snapshot> read(String eventId);

        /** Whether the gate is one of the event's (one item read, not the event's participants). */
        boolean hasGate(String eventId, String gateId);

        /** The version gates are told of, if any was published. */
        Optional<Published> published(String eventId);

        /**
         * Makes {@code version} the current one unless a newer one already is.
         *
         * @return the version it replaced (empty if none), or null when a newer version was already current
         */
        Optional<Published> publish(String eventId, Published version);
    }

    /** Where the compressed lists live (S3 in AWS; the local stack's loopback store locally). */
    public interface Store {
        void put(String eventId, long version, byte[] gzip);

        /** Empty when it is gone (expired by the bucket's lifecycle, say). */
        Optional<byte[]> get(String eventId, long version);

        /** A URL a gate can GET the object with, for {@code validFor} and no longer. */
        URI url(String eventId, long version, Duration validFor);
    }

    /** Messages to gates (IoT Core's data plane in AWS; the local broker locally). */
    public interface Channel {
        /** On {@code .../gates/{gate}/allowlist}. */
        void answer(String eventId, String gateId, byte[] json);

        /** On {@code .../{event}/allowlist/deltas}, one message for every gate of the event. */
        void delta(String eventId, byte[] json);
    }

    private final Source source;
    private final Store objects;
    private final Channel channel;
    private final Clock clock;
    private final Duration urlValidity;

    /**
     * @param urlValidity how long a URL in an answer works: long enough for a gate to fetch a few hundred kilobytes
     *                    on a poor network, short enough that a URL copied from a gate's log is soon worthless
     */
    public AllowLists(Source source, Store objects, Channel channel, Clock clock, Duration urlValidity) {
        this.source = Objects.requireNonNull(source);
        this.objects = Objects.requireNonNull(objects);
        this.channel = Objects.requireNonNull(channel);
        this.clock = Objects.requireNonNull(clock);
        this.urlValidity = Objects.requireNonNull(urlValidity);
    }

    /** After a change to the event: a new version if anything a gate uses changed, told to the gates online. */
    @Override
    public void changed(String eventId) {
        rebuild(eventId);
    }

    /** @return the version now current, empty when the event does not exist */
    public Optional<Published> rebuild(String eventId) {
        return rebuild(eventId, false);
    }

    /** @param always a new version even when nothing changed (its object is renewed) */
    private Optional<Published> rebuild(String eventId, boolean always) {
        long version = source.reserveVersion(eventId);
        Optional<Snapshot> read = source.read(eventId);
        if (read.isEmpty()) return Optional.empty();
        Snapshot s = read.get();
        AllowList next = AllowList.of(s.event(), version, clock.instant(), s.policy(), s.gates(), s.participants());
        Optional<AllowList> previous = s.published().flatMap(p -> load(eventId, p));
        if (!always && previous.isPresent() && previous.get().version() < version) {
            AllowListDelta d = AllowListDelta.between(previous.get(), next);
            if (d.participants().isEmpty() && d.gates().isEmpty() && d.event() == null && d.policy() == null) {
                return s.published(); // nothing a gate uses changed: no new version, no message
            }
        }
        byte[] canonical = AllowListCodec.canonical(next);
        Published made = new Published(version, AllowListCodec.sha256(canonical), next.issuedAt());
        objects.put(eventId, version, AllowListCodec.gzip(canonical));
        Optional<Published> replaced = source.publish(eventId, made);
        if (replaced == null) return source.published(eventId); // a newer rebuild won: it tells the gates
        tellGates(next, made, replaced.flatMap(p -> p.equals(s.published().orElse(null)) ? previous : load(eventId, p)));
        return Optional.of(made);
    }

    /**
     * What a gate (or a staff phone at one) is told when it asks: the current version, its hash and, unless it holds
     * that version, where to fetch it until when.
     *
     * @param url          null when the asker already holds {@code list}'s version
     * @param urlExpiresAt when {@code url} stops working (no later than the store's own expiry); null without a URL
     */
    public record Answer(String eventId, String gateId, Published list, URI url, Instant urlExpiresAt) {

        /** The answer on the gate's allowlist topic (docs/asyncapi.yaml, "allowListAnswer"). */
        public byte[] gateJson() {
            return answerJson(eventId, list, url);
        }
    }

    /**
     * A gate asks, naming the version it holds: over MQTT ({@link #answer}) or over the HTTP API (a staff phone at
     * the gate). The first gate to ask for an event that has no list yet (its data was loaded before lists existed)
     * has one built, and a list older than {@link #REFRESH_AFTER} is built again.
     *
     * @return empty when the gate is not one of the event's, or the event does not exist
     */
    @Override
    public Optional<Answer> ask(String eventId, String gateId, Long haveVersion) {
        // first: a gate of no such event must not have a list built (nor learn whether the event exists)
        if (!source.hasGate(eventId, gateId)) {
            LOG.log(System.Logger.Level.INFO, "allow-list asked by gate " + gateId + ", not a gate of " + eventId);
            return Optional.empty();
        }
        Optional<Published> current = source.published(eventId);
        if (current.isEmpty()) current = rebuild(eventId);
        else if (current.get().builtAt() == null
                || current.get().builtAt().plus(REFRESH_AFTER).isBefore(clock.instant())) current = rebuild(eventId, true);
        if (current.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "allow-list asked for unknown event " + eventId);
            return Optional.empty();
        }
        Published p = current.get();
        if (haveVersion != null && haveVersion == p.version()) return Optional.of(new Answer(eventId, gateId, p, null, null));
        // whole seconds, taken before the store signs: never later than the expiry the URL carries
        Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(urlValidity);
        return Optional.of(new Answer(eventId, gateId, p, objects.url(eventId, p.version(), urlValidity), expiresAt));
    }

    /** A gate's request over MQTT ({@link #ask}), answered on its allowlist topic; a gate not of the event hears nothing. */
    public void answer(String eventId, String gateId, Long haveVersion) {
        ask(eventId, gateId, haveVersion).ifPresent(a -> channel.answer(eventId, gateId, a.gateJson()));
    }

    /** The answer on a gate's allowlist topic (docs/asyncapi.yaml, "allowListAnswer"). */
    public static byte[] answerJson(String eventId, Published p, URI url) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", eventId);
        m.put("version", p.version());
        m.put("sha256", p.sha256());
        if (url != null) m.put("url", url.toString());
        try {
            return JSON.std.asBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A delta from the version gates held, or where there is none (or it is too large), the new list to each gate. */
    private void tellGates(AllowList next, Published made, Optional<AllowList> before) {
        if (before.isPresent() && before.get().version() < next.version()) {
            byte[] delta = AllowListDelta.between(before.get(), next).toJson();
            if (delta.length <= MAX_DELTA_BYTES) {
                channel.delta(next.eventId(), delta);
                return;
            }
        }
        URI url = objects.url(next.eventId(), made.version(), urlValidity);
        for (Gate g : next.gates()) channel.answer(next.eventId(), g.gateId(), answerJson(next.eventId(), made, url));
    }

    private Optional<AllowList> load(String eventId, Published p) {
        try {
            return objects.get(eventId, p.version()).map(body -> AllowListCodec.verified(body, eventId, p.version(), p.sha256()));
        } catch (AllowListIntegrityException e) {
            LOG.log(System.Logger.Level.WARNING, "stored allow-list v" + p.version() + " of " + eventId + " unusable: " + e.getMessage());
            return Optional.empty();
        }
    }
}
