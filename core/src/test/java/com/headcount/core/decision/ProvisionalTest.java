package com.headcount.core.decision;

import static com.headcount.testing.Scans.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.scan.Scan;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gate's provisional verdict: read strictly, compared with the cloud's, and carried in every outcome's JSON. */
class ProvisionalTest {

    static final Instant NOON = Instant.parse("2026-11-26T12:00:00Z");

    static Provisional parse(String json) throws IOException {
        return Provisional.parse(JSON.std.mapFrom("{\"p\":" + json + "}").get("p"));
    }

    @Test
    void readsEachVerdictWithItsVersionAndTheReasonOfARejection() throws IOException {
        assertEquals(Provisional.of(Verdict.ACCEPTED, null, 42),
                parse("{\"verdict\":\"accepted\",\"allowListVersion\":42,\"newerField\":1}"));
        assertEquals(Provisional.of(Verdict.DUPLICATE, null, 9_000_000_000L),
                parse("{\"verdict\":\"duplicate\",\"allowListVersion\":9000000000}"));
        assertEquals(Provisional.of(Verdict.REJECTED, RejectReason.PARTICIPANT_INACTIVE, 0),
                parse("{\"verdict\":\"rejected\",\"reason\":\"participant_inactive\",\"allowListVersion\":0}"));
        assertNull(Provisional.parse(null), "no provisional: an older gate");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not an object       | \"accepted\"                                                    | provisional: expected an object",
            "verdict missing     | {\"allowListVersion\":1}                                       | provisional.verdict: missing",
            "verdict unknown     | {\"verdict\":\"maybe\",\"allowListVersion\":1}                   | provisional.verdict: expected accepted, duplicate or rejected",
            "verdict a number    | {\"verdict\":1,\"allowListVersion\":1}                          | provisional.verdict: expected text",
            "rejected, no reason | {\"verdict\":\"rejected\",\"allowListVersion\":1}                | provisional.reason: missing (a rejection names its reason)",
            "reason unknown      | {\"verdict\":\"rejected\",\"reason\":\"moon\",\"allowListVersion\":1} | provisional.reason: not a reject reason code",
            "reason on accepted  | {\"verdict\":\"accepted\",\"reason\":\"clock_skew\",\"allowListVersion\":1} | provisional.reason: only a rejection has one",
            "version missing     | {\"verdict\":\"accepted\"}                                      | provisional.allowListVersion: missing",
            "version a decimal   | {\"verdict\":\"accepted\",\"allowListVersion\":1.5}               | provisional.allowListVersion: expected a whole number",
            "version as text     | {\"verdict\":\"accepted\",\"allowListVersion\":\"7\"}               | provisional.allowListVersion: expected a whole number",
            "version negative    | {\"verdict\":\"accepted\",\"allowListVersion\":-1}                | provisional.allowListVersion: expected a whole number from 0",
            "version too large   | {\"verdict\":\"accepted\",\"allowListVersion\":99999999999999999999} | provisional.allowListVersion: expected a whole number",
    })
    void aProvisionalThatCannotBeReadIsKeptAsMalformedWithWhatWasWrong(String name, String json, String problem)
            throws IOException {
        Provisional p = parse(json);
        assertFalse(p.readable());
        assertEquals(problem, p.problem());
        assertEquals(Map.of("ignored", Provisional.IGNORED_MALFORMED, "problem", problem), p.toMap());
    }

    @Test
    void onlyDisagreementsOnWhoWentInAreEdgeMismatchesButEveryDifferenceIsACorrection() {
        Scan s = scan("p-1", "north", NOON);
        Outcome accepted = Outcome.accepted("src", s, NOON, NOON);
        Outcome duplicate = Outcome.duplicate("src", s, "first", NOON.minusSeconds(60), NOON, NOON);
        Outcome inactive = Outcome.rejected("src", s, RejectReason.PARTICIPANT_INACTIVE, "d", NOON, NOON);
        Provisional gateAccepted = Provisional.of(Verdict.ACCEPTED, null, 3);
        Provisional gateDuplicate = Provisional.of(Verdict.DUPLICATE, null, 3);
        Provisional gateNotFound = Provisional.of(Verdict.REJECTED, RejectReason.PARTICIPANT_NOT_FOUND, 3);

        assertEquals(Optional.of(EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED),
                inactive.withProvisional(gateAccepted).edgeMismatch());
        assertEquals(Optional.of(EdgeMismatch.CLOUD_REFUSED_GATE_ACCEPTED),
                duplicate.withProvisional(gateAccepted).edgeMismatch());
        assertEquals(Optional.of(EdgeMismatch.CLOUD_ACCEPTED_GATE_REFUSED),
                accepted.withProvisional(gateDuplicate).edgeMismatch());
        assertEquals(Optional.of(EdgeMismatch.CLOUD_ACCEPTED_GATE_REFUSED),
                accepted.withProvisional(gateNotFound).edgeMismatch());
        assertEquals(Optional.empty(), accepted.withProvisional(gateAccepted).edgeMismatch());
        assertEquals(Optional.empty(), inactive.withProvisional(gateNotFound).edgeMismatch(), "kept out both ways");
        assertEquals(Optional.empty(), accepted.withProvisional(Provisional.malformed("x")).edgeMismatch());

        assertEquals(false, accepted.withProvisional(gateAccepted).correction());
        assertEquals(true, inactive.withProvisional(gateNotFound).correction(), "another reason on the screen");
        assertEquals(true, duplicate.withProvisional(gateNotFound).correction());
        assertEquals(true, accepted.withProvisional(Provisional.malformed("x")).correction(),
                "what the gate showed cannot be confirmed: it shows the cloud's decision");
        assertNull(accepted.correction(), "no provisional, nothing to correct");

        assertTrue(inactive.withProvisional(gateAccepted).streamed(), "counted by the statistics");
        assertFalse(inactive.withProvisional(gateNotFound).streamed());
        assertFalse(inactive.streamed());
    }

    @Test
    void theOutcomeJsonCarriesTheProvisionalTheCorrectionAndTheMismatchAndReadsThemBack() {
        Scan s = scan("p-1", "north", NOON);
        Outcome o = Outcome.rejected("src", s, RejectReason.PARTICIPANT_INACTIVE, "d", NOON, NOON)
                .withProvisional(Provisional.of(Verdict.ACCEPTED, null, 17));
        Map<String, Object> json = OutcomeJson.toMap(o);
        assertEquals(Map.of("verdict", "accepted", "allowListVersion", 17L), json.get("provisional"));
        assertEquals(true, json.get("correction"));
        assertEquals("cloud_refused_gate_accepted", json.get("edgeMismatch"));
        assertEquals(o, OutcomeJson.fromBytes(OutcomeJson.toBytes(o)));

        Outcome plain = Outcome.accepted("src", s, NOON, NOON);
        assertFalse(OutcomeJson.toMap(plain).containsKey("correction"), "a scan without provisional reads as before");
        Outcome ignored = plain.withProvisional(Provisional.malformed("provisional.verdict: missing"));
        assertEquals(ignored, OutcomeJson.fromBytes(OutcomeJson.toBytes(ignored)));
    }
}
