package com.headcount.adapters.dynamodb;

import static com.headcount.adapters.dynamodb.Attributes.bool;
import static com.headcount.adapters.dynamodb.Attributes.decimal;
import static com.headcount.adapters.dynamodb.Attributes.n;
import static com.headcount.adapters.dynamodb.Attributes.number;
import static com.headcount.adapters.dynamodb.Attributes.s;
import static com.headcount.adapters.dynamodb.Attributes.string;

import com.headcount.core.allowlist.EdgePolicy;
import com.headcount.core.reference.ArrivalProfile;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.ForecastSettings;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.core.stats.StatsClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reference table: one partition per event (pk {@code EVENT#id}) holding the event ({@code sk EVENT}),
 * its gates ({@code GATE#id}) and its participants ({@code PARTICIPANT#id}). Everything of an event is one
 * query away, and nothing of another event shares its partition.
 */
public final class ReferenceItems {

    public static final String PK = "pk";
    public static final String SK = "sk";
    /**
     * The sparse index of events by when their statistics stop moving: only event items carry its keys, all under one
     * partition value (written once per event set-up, read once a minute by the clock).
     */
    public static final String BY_STATS_WINDOW = "byStatsWindow";
    public static final String STATS_INDEX = "statsIndex";
    public static final String STATS_UNTIL = "statsUntil";
    public static final String STATS_FROM = "statsFrom";
    public static final String EVENTS = "EVENTS";

    private ReferenceItems() {}

    public static Map<String, AttributeValue> key(ReferenceKey key) {
        String sk = switch (key) {
            case ReferenceKey.OfEvent e -> "EVENT";
            case ReferenceKey.OfGate g -> "GATE#" + g.gateId();
            case ReferenceKey.OfParticipant p -> "PARTICIPANT#" + p.participantId();
        };
        return Map.of(PK, s("EVENT#" + key.eventId()), SK, s(sk));
    }

    public static Map<String, AttributeValue> item(AttendanceEvent e) {
        Map<String, AttributeValue> item = new HashMap<>(key(new ReferenceKey.OfEvent(e.eventId())));
        item.put("eventId", s(e.eventId()));
        item.put("name", s(e.name()));
        item.put("start", s(e.start().toString()));
        item.put("end", s(e.end().toString()));
        item.put("timeZone", s(e.timeZone().getId()));
        item.put("clockSkewToleranceSeconds", n(e.clockSkewTolerance().toSeconds()));
        item.put("httpScanMaxAgeSeconds", n(e.httpScanMaxAge().toSeconds()));
        item.put("overloadThreshold", n(e.overloadThreshold()));
        item.put("lowAttendanceRate", n(e.lowAttendanceRate()));
        item.put("edgeMismatchAlertThreshold", n(e.edgeMismatchAlertThreshold()));
        ForecastSettings f = e.forecast();
        item.put("forecastShowUpRate", n(f.priorShowUpRate()));
        item.put("forecastPriorWeight", n(f.priorWeight()));
        item.put("arrivalProfile", f.profile().isObserved() ? s("observed") : AttributeValue.fromL(
                Arrays.stream(f.profile().cumulativeShares()).mapToObj(Attributes::n).toList()));
        item.put(STATS_INDEX, s(EVENTS));
        item.put(STATS_FROM, n(StatsClock.runsFrom(e).toEpochMilli()));
        item.put(STATS_UNTIL, n(StatsClock.runsUntil(e).toEpochMilli()));
        return item;
    }

    public static Map<String, AttributeValue> item(Gate g) {
        Map<String, AttributeValue> item = new HashMap<>(key(new ReferenceKey.OfGate(g.eventId(), g.gateId())));
        item.put("gateId", s(g.gateId()));
        item.put("name", s(g.name()));
        item.put("active", bool(g.active()));
        item.put("capacityPerMinute", n(g.capacityPerMinute()));
        return item;
    }

    public static Map<String, AttributeValue> item(Participant p) {
        Map<String, AttributeValue> item =
                new HashMap<>(key(new ReferenceKey.OfParticipant(p.eventId(), p.participantId())));
        item.put("participantId", s(p.participantId()));
        item.put("status", s(p.status()));
        return item;
    }

    /** The event item with its edge policy: one item, so a PUT of the event states both at once. */
    public static Map<String, AttributeValue> item(AttendanceEvent e, EdgePolicy edge) {
        Map<String, AttributeValue> item = item(e);
        item.put("edgeMaxAgeSeconds", n(edge.maxAge().toSeconds()));
        item.put("edgeWhenStale", s(edge.whenStale().wireName()));
        return item;
    }

    /** Events stored before the edge policy existed read with the defaults. */
    public static EdgePolicy edgePolicy(Map<String, AttributeValue> eventItem) {
        EdgePolicy d = EdgePolicy.defaults();
        Long maxAge = eventItem.containsKey("edgeMaxAgeSeconds") ? number(eventItem, "edgeMaxAgeSeconds") : null;
        String when = eventItem.containsKey("edgeWhenStale") ? string(eventItem, "edgeWhenStale") : null;
        return new EdgePolicy(maxAge == null ? d.maxAge() : Duration.ofSeconds(maxAge),
                when == null ? d.whenStale() : EdgePolicy.WhenStale.fromWire(when));
    }

    /** Events stored before forecast settings existed read with the defaults. */
    private static ForecastSettings forecast(Map<String, AttributeValue> item) {
        ForecastSettings d = ForecastSettings.defaults();
        Double rate = decimal(item, "forecastShowUpRate");
        Double weight = decimal(item, "forecastPriorWeight");
        AttributeValue profile = item.get("arrivalProfile");
        ArrivalProfile p = profile == null || profile.l().isEmpty() ? ArrivalProfile.observed()
                : ArrivalProfile.of(profile.l().stream().mapToDouble(v -> Double.parseDouble(v.n())).toArray());
        return new ForecastSettings(rate == null ? d.priorShowUpRate() : rate, weight == null ? d.priorWeight() : weight, p);
    }

    /** Reads any reference item back into its core type, with the key it answers. */
    public static Map.Entry<ReferenceKey, Object> read(Map<String, AttributeValue> item) {
        String eventId = string(item, PK).substring("EVENT#".length());
        String sk = string(item, SK);
        if (sk.equals("EVENT")) {
            var event = new AttendanceEvent(eventId, string(item, "name"), Instant.parse(string(item, "start")),
                    Instant.parse(string(item, "end")), ZoneId.of(string(item, "timeZone")),
                    Duration.ofSeconds(number(item, "clockSkewToleranceSeconds")),
                    decimal(item, "overloadThreshold"), decimal(item, "lowAttendanceRate"), forecast(item),
                    // events stored before the limit existed read with the default
                    item.containsKey("httpScanMaxAgeSeconds")
                            ? Duration.ofSeconds(number(item, "httpScanMaxAgeSeconds")) : null,
                    // events stored before the threshold existed read with the default (0 is "the default")
                    item.containsKey("edgeMismatchAlertThreshold")
                            ? number(item, "edgeMismatchAlertThreshold").intValue() : 0);
            return Map.entry(new ReferenceKey.OfEvent(eventId), event);
        }
        if (sk.startsWith("GATE#")) {
            String gateId = sk.substring("GATE#".length());
            var gate = new Gate(eventId, gateId, string(item, "name"), item.get("active").bool(),
                    number(item, "capacityPerMinute").intValue());
            return Map.entry(new ReferenceKey.OfGate(eventId, gateId), gate);
        }
        String participantId = sk.substring("PARTICIPANT#".length());
        return Map.entry(new ReferenceKey.OfParticipant(eventId, participantId),
                new Participant(eventId, participantId, string(item, "status")));
    }
}
