package com.headcount.adapters.dynamodb;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertState;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.stats.Aggregate;
import com.headcount.core.stats.ClaimPage;
import com.headcount.core.stats.EventAggregates;
import com.headcount.core.stats.ParticipantClaims;
import com.headcount.core.stats.StreamedScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
 * ({@code pk PARTICIPANT#event#participant}, {@code sk CLAIMS} and its pages {@code PAGE#<hour millis>#<gate>}, and
 * one {@code REFUSAL#<scan id>} per refused edge mismatch, holding the occurrence that claimed it), so
 * the Query never reads them; so are scans of an event that could not be found
 * ({@code pk UNCOUNTED#event, sk <scan id>}).
 *
 * <p>Aggregate attributes: {@code c} counters (map of numbers), {@code wm} watermarks (shard → sequence number),
 * {@code ver} the version every write is conditional on; the overall item adds {@code alerts} (states),
 * {@code outbox} (raised alerts not yet delivered, as JSON). Items written before publications stopped being claimed
 * may still hold {@code lastPublished} and {@code publishedChanges}: nothing reads them, the next write drops them.
 */
public final class StatisticsItems {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String VERSION = "ver";
    static final String AGG = "AGG#";
    static final String PARTICIPANTS = "AGG#PARTICIPANTS";
    static final String ALERT = "ALERT#";
    static final String CLAIMS = "CLAIMS";
    static final String PAGE = "PAGE#";
    static final String REFUSAL = "REFUSAL#";
    static final String UNCOUNTED = "UNCOUNTED#";

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

    static Map<String, AttributeValue> pageKey(String eventId, ClaimPage.Key key) {
        return Map.of(PK, s("PARTICIPANT#" + eventId + "#" + key.participantId()),
                SK, s(PAGE + key.hourStartMillis() + "#" + key.gateId()));
    }

    /** A refused edge mismatch's claim: beside its participant's claims, one item per scan id. */
    static Map<String, AttributeValue> refusalKey(String eventId, StreamedScan scan) {
        return Map.of(PK, s("PARTICIPANT#" + eventId + "#" + scan.participantId()), SK, s(REFUSAL + scan.scanId()));
    }

    static Map<String, AttributeValue> refusalClaim(String eventId, StreamedScan scan) {
        Map<String, AttributeValue> item = new HashMap<>(refusalKey(eventId, scan));
        item.put("occurrence", s(scan.occurrence().toString()));
        item.put("gateId", s(scan.gateId()));
        item.put("kind", s(scan.edgeMismatch().orElseThrow().code()));
        item.put("decidedAt", s(scan.outcome().decidedAt().toString()));
        return item;
    }

    static Map<String, AttributeValue> item(ParticipantClaims p) {
        Map<String, AttributeValue> item = new HashMap<>(claimsKey(p.eventId(), p.participantId()));
        item.put("claims", claimMap(p.claims(), true));
        ParticipantClaims.State st = p.state();
        Map<String, AttributeValue> state = new HashMap<>(Map.of("att", AttributeValue.fromBool(st.attended()),
                "lt", n(st.latestAt()), "le", AttributeValue.fromBool(st.latestEntry())));
        if (st.latestScanId() != null) state.put("lid", s(st.latestScanId()));
        item.put("state", AttributeValue.fromM(state));
        if (p.pagedBefore() != ParticipantClaims.NOTHING_PAGED) item.put("pagedBefore", n(p.pagedBefore()));
        item.put("eventId", s(p.eventId()));
        item.put("participantId", s(p.participantId()));
        item.put(VERSION, n(p.version() + 1));
        return item;
    }

    static ParticipantClaims claims(Map<String, AttributeValue> item) {
        Map<String, ParticipantClaims.Claim> claims = claims(item.get("claims").m(), null);
        var stored = item.get("state");
        // items written before the state was kept: every claim is still in them, so the state follows from them
        ParticipantClaims.State state = stored == null ? ParticipantClaims.State.of(claims) : new ParticipantClaims.State(
                stored.m().get("att").bool(), Long.parseLong(stored.m().get("lt").n()),
                stored.m().containsKey("lid") ? stored.m().get("lid").s() : null, stored.m().get("le").bool());
        var pagedBefore = item.get("pagedBefore");
        return new ParticipantClaims(item.get("eventId").s(), item.get("participantId").s(),
                Long.parseLong(item.get(VERSION).n()), state,
                pagedBefore == null ? ParticipantClaims.NOTHING_PAGED : Long.parseLong(pagedBefore.n()), claims);
    }

    static Map<String, AttributeValue> item(String eventId, ClaimPage page) {
        Map<String, AttributeValue> item = new HashMap<>(pageKey(eventId, page.key()));
        item.put("claims", claimMap(page.claims(), false));
        item.put("gateId", s(page.key().gateId()));
        item.put("hour", n(page.key().hourStartMillis()));
        item.put(VERSION, n(page.version() + 1));
        return item;
    }

    static ClaimPage page(String participantId, Map<String, AttributeValue> item) {
        String gateId = item.get("gateId").s();
        var key = new ClaimPage.Key(participantId, gateId, Long.parseLong(item.get("hour").n()));
        return new ClaimPage(key, Long.parseLong(item.get(VERSION).n()), claims(item.get("claims").m(), gateId));
    }

    /** A page's claims leave their gate out: the page's key says it. */
    private static AttributeValue claimMap(Map<String, ParticipantClaims.Claim> claims, boolean withGate) {
        Map<String, AttributeValue> out = new HashMap<>();
        claims.forEach((scanId, c) -> {
            Map<String, AttributeValue> m = new HashMap<>(Map.of("o", s(c.occurrence()), "t", n(c.scannedAtMillis()),
                    "e", AttributeValue.fromBool(c.entry()), "a", n(c.attendedDelta()), "i", n(c.insideDelta())));
            if (withGate && c.gateId() != null) m.put("g", s(c.gateId()));
            out.put(scanId, AttributeValue.fromM(m));
        });
        return AttributeValue.fromM(out);
    }

    private static Map<String, ParticipantClaims.Claim> claims(Map<String, AttributeValue> stored, String gateId) {
        Map<String, ParticipantClaims.Claim> claims = new LinkedHashMap<>();
        stored.forEach((scanId, v) -> {
            Map<String, AttributeValue> c = v.m();
            claims.put(scanId, new ParticipantClaims.Claim(c.get("o").s(), Long.parseLong(c.get("t").n()),
                    c.get("e").bool(), c.containsKey("g") ? c.get("g").s() : gateId,
                    Integer.parseInt(c.get("a").n()), Integer.parseInt(c.get("i").n())));
        });
        return claims;
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
                // a change came after the last count: left null, so the reader counts again
                if (ParticipantCounts.isCurrent(item)) aggs.activeParticipants = Long.parseLong(item.get("active").n());
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
        EventAggregates full = new EventAggregates(aggregate(overall), aggs.gates, aggs.hours, states, outbox);
        full.activeParticipants = aggs.activeParticipants;
        return full;
    }

    /** An accepted scan whose event could not be found: the whole outcome, so it can be counted later. */
    static Map<String, AttributeValue> uncounted(StreamedScan scan, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(PK, s(UNCOUNTED + scan.eventId()), SK, s(scan.scanId())));
        item.put("occurrence", s(scan.occurrence().toString()));
        item.put("participantId", s(scan.participantId()));
        item.put("gateId", s(scan.gateId()));
        item.put("scannedAt", s(scan.scannedAt().toString()));
        item.put("recordedAt", s(at.toString()));
        item.put("outcome", s(new String(OutcomeJson.toBytes(scan.outcome()), StandardCharsets.UTF_8)));
        return item;
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
