package com.headcount.adapters.dynamodb;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.stats.Aggregate;
import com.headcount.core.stats.Alert;
import com.headcount.core.stats.AlertState;
import com.headcount.core.stats.EventAggregates;
import com.headcount.core.stats.ParticipantClaims;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The statistics table. One partition per event ({@code pk EVENT#id}) holding the aggregates ({@code sk AGG#OVERALL},
 * {@code AGG#GATE#id}, {@code AGG#HOUR#<instant>}), the active-participant counter ({@code AGG#PARTICIPANTS}) and the
 * alert history ({@code ALERT#<id>}): a snapshot is one Query. Participants' claims are outside it
 * ({@code pk PARTICIPANT#event#participant, sk CLAIMS}), so the Query never reads them.
 *
 * <p>Aggregate attributes: {@code c} counters (map of numbers), {@code wm} watermarks (shard → sequence number),
 * {@code ver} the version every write is conditional on; the overall item adds {@code alerts} (states),
 * {@code outbox} (raised alerts not yet delivered, as JSON) and {@code lastPublished}.
 */
public final class StatisticsItems {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String VERSION = "ver";
    static final String AGG = "AGG#";
    static final String PARTICIPANTS = "AGG#PARTICIPANTS";
    static final String ALERT = "ALERT#";
    static final String CLAIMS = "CLAIMS";

    private StatisticsItems() {}

    static Map<String, AttributeValue> eventKey(String eventId, String sk) {
        return Map.of(PK, s("EVENT#" + eventId), SK, s(sk));
    }

    static AttributeValue eventPk(String eventId) {
        return s("EVENT#" + eventId);
    }

    static Map<String, AttributeValue> claimsKey(String eventId, String participantId) {
        return Map.of(PK, s("PARTICIPANT#" + eventId + "#" + participantId), SK, s(CLAIMS));
    }

    static Map<String, AttributeValue> item(ParticipantClaims p) {
        Map<String, AttributeValue> item = new HashMap<>(claimsKey(p.eventId(), p.participantId()));
        Map<String, AttributeValue> claims = new HashMap<>();
        p.claims().forEach((scanId, c) -> claims.put(scanId, AttributeValue.fromM(Map.of(
                "o", s(c.occurrence()), "t", n(c.scannedAtMillis()), "e", AttributeValue.fromBool(c.entry()),
                "a", n(c.attendedDelta()), "i", n(c.insideDelta())))));
        item.put("claims", AttributeValue.fromM(claims));
        item.put("eventId", s(p.eventId()));
        item.put("participantId", s(p.participantId()));
        item.put(VERSION, n(p.version() + 1));
        return item;
    }

    static ParticipantClaims claims(Map<String, AttributeValue> item) {
        Map<String, ParticipantClaims.Claim> claims = new LinkedHashMap<>();
        item.get("claims").m().forEach((scanId, v) -> {
            Map<String, AttributeValue> c = v.m();
            claims.put(scanId, new ParticipantClaims.Claim(c.get("o").s(), Long.parseLong(c.get("t").n()),
                    c.get("e").bool(), Integer.parseInt(c.get("a").n()), Integer.parseInt(c.get("i").n())));
        });
        return new ParticipantClaims(item.get("eventId").s(), item.get("participantId").s(),
                Long.parseLong(item.get(VERSION).n()), claims);
    }

    static Map<String, AttributeValue> item(String eventId, Aggregate a) {
        Map<String, AttributeValue> item = new HashMap<>(eventKey(eventId, AGG + a.key()));
        Map<String, AttributeValue> counters = new HashMap<>();
        a.counters().forEach((k, v) -> counters.put(k, n(v)));
        Map<String, AttributeValue> marks = new HashMap<>();
        a.watermarks().forEach((k, v) -> marks.put(k, s(v.toString())));
        item.put("c", AttributeValue.fromM(counters));
        item.put("wm", AttributeValue.fromM(marks));
        item.put(VERSION, n(a.version() + 1));
        return item;
    }

    static Map<String, AttributeValue> overallItem(String eventId, EventAggregates aggs) {
        Map<String, AttributeValue> item = item(eventId, aggs.overall);
        Map<String, AttributeValue> states = new HashMap<>();
        aggs.alertStates.forEach((k, st) -> states.put(k, AttributeValue.fromM(Map.of(
                "raised", AttributeValue.fromBool(st.raised()), "episodes", n(st.episodes())))));
        Map<String, AttributeValue> outbox = new HashMap<>();
        aggs.outbox.forEach((id, alert) -> outbox.put(id, s(json(alert))));
        item.put("alerts", AttributeValue.fromM(states));
        item.put("outbox", AttributeValue.fromM(outbox));
        if (aggs.lastPublished != null) item.put("lastPublished", s(aggs.lastPublished.toString()));
        return item;
    }

    static Aggregate aggregate(Map<String, AttributeValue> item) {
        String key = item.get(SK).s().substring(AGG.length());
        Map<String, Long> counters = new TreeMap<>();
        item.get("c").m().forEach((k, v) -> counters.put(k, Long.parseLong(v.n())));
        Map<String, BigInteger> marks = new TreeMap<>();
        item.get("wm").m().forEach((k, v) -> marks.put(k, new BigInteger(v.s())));
        return new Aggregate(key, Long.parseLong(item.get(VERSION).n()), counters, marks);
    }

    /** Reads an event partition's items (any subset) into aggregates and alert history. */
    static EventAggregates read(List<Map<String, AttributeValue>> items, List<Alert> history) {
        EventAggregates aggs = EventAggregates.empty();
        Map<String, AttributeValue> overall = null;
        for (var item : items) {
            String sk = item.get(SK).s();
            if (sk.equals(PARTICIPANTS)) {
                aggs.activeParticipants = Long.parseLong(item.get("active").n());
            } else if (sk.startsWith(ALERT)) {
                if (history != null) history.add(alert(item.get("alert").s()));
            } else if (sk.equals(AGG + Aggregate.OVERALL)) {
                overall = item;
            } else if (sk.startsWith(AGG + Aggregate.GATE_PREFIX)) {
                Aggregate a = aggregate(item);
                aggs.gates.put(a.key().substring(Aggregate.GATE_PREFIX.length()), a);
            } else if (sk.startsWith(AGG + Aggregate.HOUR_PREFIX)) {
                Aggregate a = aggregate(item);
                aggs.hours.put(a.key(), a);
            }
        }
        if (overall == null) return aggs;
        Map<String, AlertState> states = new TreeMap<>();
        if (overall.containsKey("alerts")) overall.get("alerts").m().forEach((k, v) -> states.put(k,
                new AlertState(v.m().get("raised").bool(), Integer.parseInt(v.m().get("episodes").n()))));
        Map<String, Alert> outbox = new LinkedHashMap<>();
        if (overall.containsKey("outbox")) overall.get("outbox").m().forEach((id, v) -> outbox.put(id, alert(v.s())));
        var published = overall.get("lastPublished");
        EventAggregates full = new EventAggregates(aggregate(overall), aggs.gates, aggs.hours, states, outbox,
                published == null ? null : Instant.parse(published.s()));
        full.activeParticipants = aggs.activeParticipants;
        return full;
    }

    static Map<String, AttributeValue> item(Alert alert) {
        Map<String, AttributeValue> item = new HashMap<>(eventKey(alert.eventId(), ALERT + alert.id()));
        item.put("alert", s(json(alert)));
        item.put("type", s(alert.type()));
        item.put("raisedAt", s(alert.raisedAt().toString()));
        return item;
    }

    static String json(Alert alert) {
        try {
            return JSON.std.asString(alert.toMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Alert alert(String json) {
        try {
            return Alert.fromMap(JSON.std.mapFrom(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
