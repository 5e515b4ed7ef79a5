package com.headcount.core.allowlist;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What changed between two versions of an event's allow-list, sent to its gates while they are online (a few hundred
 * bytes for an organiser's typical change, where the whole list is hundreds of kilobytes). It names the version it
 * applies to and the hash of the list it makes: a gate holding another version, or whose result hashes otherwise,
 * fetches the whole list instead ({@link Gap}, {@link AllowListIntegrityException}).
 *
 * @param participants participant id to its new status; a null status removes the participant
 * @param gates        gate records added or changed (a gate is retired by setting it inactive)
 * @param event        the event's new window and tolerance, or null if unchanged
 * @param policy       the new edge policy, or null if unchanged
 * @param sha256       the hash of the resulting list's canonical text ({@link AllowListCodec#sha256})
 */
public record AllowListDelta(String eventId, long fromVersion, long toVersion, Instant issuedAt,
                             Map<String, String> participants, List<Gate> gates, AttendanceEvent event,
                             EdgePolicy policy, String sha256) {

    /** The delta does not start at the version the gate holds: only a whole list will do. */
    public static final class Gap extends RuntimeException {
        public Gap(String message) {
            super(message);
        }
    }

    public AllowListDelta {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(sha256, "sha256");
        if (toVersion <= fromVersion) throw new IllegalArgumentException("a delta moves to a newer version");
        participants = java.util.Collections.unmodifiableMap(new TreeMap<>(participants));
        gates = List.copyOf(gates);
    }

    /** The changes that turn {@code from} into {@code to}. */
    public static AllowListDelta between(AllowList from, AllowList to) {
        if (!from.eventId().equals(to.eventId())) throw new IllegalArgumentException("lists of two events");
        Map<String, String> changed = new TreeMap<>();
        int i = 0;
        int j = 0;
        while (i < from.participantCount() || j < to.participantCount()) {
            int c = i == from.participantCount() ? 1 : j == to.participantCount() ? -1
                    : from.idAt(i).compareTo(to.idAt(j));
            if (c < 0) {
                changed.put(from.idAt(i++), null);
            } else if (c > 0) {
                changed.put(to.idAt(j), to.statusAt(j++));
            } else {
                if (!from.statusAt(i).equals(to.statusAt(j))) changed.put(to.idAt(j), to.statusAt(j));
                i++;
                j++;
            }
        }
        List<Gate> gates = to.gates().stream().filter(g -> !from.gates().contains(g)).toList();
        for (Gate gone : from.gates()) {
            if (to.gate(gone.gateId()).isEmpty()) throw new IllegalArgumentException("a gate is retired by setting it inactive, not by removing it");
        }
        AttendanceEvent event = sameWindow(from.event(), to.event()) ? null : to.event();
        EdgePolicy policy = from.policy().equals(to.policy()) ? null : to.policy();
        return new AllowListDelta(to.eventId(), from.version(), to.version(), to.issuedAt(), changed, gates, event,
                policy, AllowListCodec.sha256(to));
    }

    /**
     * The list this delta makes of {@code base}, proven by its hash.
     *
     * @throws Gap                         when {@code base} is not the version the delta starts from
     * @throws AllowListIntegrityException when the result is not the list the cloud made
     */
    public AllowList applyTo(AllowList base) {
        if (!base.eventId().equals(eventId)) throw new Gap("delta of event " + eventId + ", list of " + base.eventId());
        if (base.version() != fromVersion) {
            throw new Gap("delta from v" + fromVersion + " to v" + toVersion + ", the gate holds v" + base.version());
        }
        TreeMap<String, String> merged = new TreeMap<>();
        for (int i = 0; i < base.participantCount(); i++) merged.put(base.idAt(i), base.statusAt(i));
        participants.forEach((id, status) -> {
            if (status == null) merged.remove(id);
            else merged.put(id, status);
        });
        Map<String, Gate> gatesById = new TreeMap<>();
        base.gates().forEach(g -> gatesById.put(g.gateId(), g));
        gates.forEach(g -> gatesById.put(g.gateId(), g));
        AllowList result = AllowList.fromSorted(event == null ? base.event() : event, toVersion, issuedAt,
                policy == null ? base.policy() : policy, gatesById.values(), merged);
        String actual = AllowListCodec.sha256(result);
        if (!actual.equals(sha256)) {
            throw new AllowListIntegrityException("delta to v" + toVersion + " gives hash " + actual + ", announced " + sha256);
        }
        return result;
    }

    private static boolean sameWindow(AttendanceEvent a, AttendanceEvent b) {
        return a.start().equals(b.start()) && a.end().equals(b.end()) && a.timeZone().equals(b.timeZone())
                && a.clockSkewTolerance().equals(b.clockSkewTolerance());
    }

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", eventId);
        m.put("fromVersion", fromVersion);
        m.put("toVersion", toVersion);
        m.put("issuedAt", issuedAt.toString());
        m.put("sha256", sha256);
        List<Map<String, Object>> ps = new ArrayList<>();
        participants.forEach((id, status) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("participantId", id);
            p.put("status", status);
            ps.add(p);
        });
        m.put("participants", ps);
        m.put("gates", gates.stream().map(g -> (Object) Map.of("gateId", g.gateId(), "active", g.active(),
                "capacityPerMinute", g.capacityPerMinute())).toList());
        if (event != null) {
            m.put("event", Map.of("start", event.start().toString(), "end", event.end().toString(),
                    "zone", event.timeZone().getId(), "clockSkewTolerance", event.clockSkewTolerance().toString()));
        }
        if (policy != null) {
            m.put("policy", Map.of("maxAge", policy.maxAge().toString(), "whenStale", policy.whenStale().wireName()));
        }
        try {
            return JSON.std.asBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static AllowListDelta fromJson(byte[] json) {
        try {
            Map<String, Object> m = JSON.std.mapFrom(json);
            String eventId = (String) m.get("eventId");
            Map<String, String> participants = new TreeMap<>();
            for (Object o : (Collection<Object>) m.getOrDefault("participants", List.of())) {
                Map<String, Object> p = (Map<String, Object>) o;
                participants.put((String) p.get("participantId"), (String) p.get("status"));
            }
            List<Gate> gates = new ArrayList<>();
            for (Object o : (Collection<Object>) m.getOrDefault("gates", List.of())) {
                Map<String, Object> g = (Map<String, Object>) o;
                gates.add(new Gate(eventId, (String) g.get("gateId"), null, Boolean.TRUE.equals(g.get("active")),
                        ((Number) g.get("capacityPerMinute")).intValue()));
            }
            AttendanceEvent event = null;
            if (m.get("event") instanceof Map<?, ?> e) {
                event = new AttendanceEvent(eventId, eventId, Instant.parse((String) e.get("start")),
                        Instant.parse((String) e.get("end")), ZoneId.of((String) e.get("zone")),
                        Duration.parse((String) e.get("clockSkewTolerance")),
                        AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD, AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE);
            }
            EdgePolicy policy = null;
            if (m.get("policy") instanceof Map<?, ?> p) {
                policy = new EdgePolicy(Duration.parse((String) p.get("maxAge")),
                        EdgePolicy.WhenStale.fromWire((String) p.get("whenStale")));
            }
            return new AllowListDelta(eventId, ((Number) m.get("fromVersion")).longValue(),
                    ((Number) m.get("toVersion")).longValue(), Instant.parse((String) m.get("issuedAt")),
                    participants, gates, event, policy, (String) m.get("sha256"));
        } catch (IOException | RuntimeException e) {
            throw new AllowListIntegrityException("not an allow-list delta: " + e.getMessage(), e);
        }
    }
}
