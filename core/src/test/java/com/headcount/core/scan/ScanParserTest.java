package com.headcount.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScanParserTest {

    final ScanParser parser = new ScanParser();

    static final String VALID = """
            {"scanId":"6f1c2a9e-0c2b-4b8e-9a51-3f0c1b2d4e5f","eventId":"demo-2026","participantId":"p-1",
             "gateId":"north","timestamp":"2026-11-26T10:15:30.250+01:00","method":"ble_auto",
             "location":"Hall A","deviceInfo":{"model":"GR-2","firmware":"1.4.2","battery":87,"online":true,"gone":null},
             "futureField":"ignored"}""";

    ParsedScan parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldAndDefaultsTheDirectionToEntry() {
        Scan scan = assertInstanceOf(ParsedScan.Valid.class, parse(VALID)).scan();
        assertEquals("6f1c2a9e-0c2b-4b8e-9a51-3f0c1b2d4e5f", scan.scanId());
        assertEquals(Instant.parse("2026-11-26T09:15:30.250Z"), scan.scannedAt());
        assertEquals("+01:00", scan.zoneOffset());
        assertEquals(ScanMethod.BLE_AUTO, scan.method());
        assertEquals(Direction.ENTRY, scan.direction());
        assertEquals("Hall A", scan.location());
        assertEquals(4, scan.deviceInfo().size(), "null values are dropped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                 | {oops                                   | body: not a JSON object",
            "a JSON array             | [1,2]                                   | body: not a JSON object",
            "missing scanId           | {\"scanId\":null}                         | scanId: missing",
            "id with a separator      | {\"scanId\":\"a#b\"}                       | scanId: expected 1 to 128 letters, digits or . _ : @ - (starting with a letter or digit)",
    })
    void namesTheFirstProblem(String name, String json, String problem) {
        var malformed = assertInstanceOf(ParsedScan.Malformed.class, parse(json));
        assertEquals(problem, malformed.problem());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "timestamp without offset | timestamp | \"2026-11-26T10:15:30\" | timestamp: not ISO-8601 with an offset, e.g. 2026-11-26T09:30:00+01:00",
            "timestamp not a date     | timestamp | \"yesterday\"           | timestamp: not ISO-8601 with an offset, e.g. 2026-11-26T09:30:00+01:00",
            "timestamp a number       | timestamp | 1764148530            | timestamp: not ISO-8601 with an offset, e.g. 2026-11-26T09:30:00+01:00",
            "unknown method           | method    | \"face_id\"             | method: unknown, expected ble_auto, qr_scan or manual",
            "method missing           | method    | null                  | method: missing (ble_auto, qr_scan or manual)",
            "bad direction            | direction | \"sideways\"            | direction: expected entry or exit",
            "location not text        | location  | {\"x\":1}                | location: expected text of at most 256 characters",
            "deviceInfo nested        | deviceInfo| {\"a\":{\"b\":1}}           | deviceInfo: expected an object of at most 20 text, number or true/false values",
    })
    void rejectsEachBadFieldWithAStableProblem(String name, String field, String value, String problem) {
        String json = VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\{[^}]*\\}|[^,}]*)", "\"" + field + "\":" + value);
        if (!json.contains("\"" + field + "\"")) json = VALID.replace("{\"scanId\"", "{\"" + field + "\":" + value + ",\"scanId\"");
        var malformed = assertInstanceOf(ParsedScan.Malformed.class, parse(json), json);
        assertEquals(problem, malformed.problem());
        assertEquals("6f1c2a9e-0c2b-4b8e-9a51-3f0c1b2d4e5f", malformed.scanId(), "what could be read is kept");
    }

    @Test
    void rejectsOversizedMessagesWithoutParsingThem() {
        String big = VALID.replace("Hall A", "x".repeat(ScanParser.MAX_MESSAGE_BYTES));
        assertEquals("body: larger than 8192 bytes", assertInstanceOf(ParsedScan.Malformed.class, parse(big)).problem());
    }

    @ParameterizedTest(name = "deviceInfo {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{\"battery\": 1e400}", "{\"battery\": 123456789012345678901234567890123456789012}",
            "{\"x\": 1e200}", "{\"\": 1}", "{\"name\": \"\\ud800\"}"})
    void refusesDeviceInfoThatCouldNotBeStored(String deviceInfo) {
        String json = VALID.replaceFirst("\"deviceInfo\":\\{[^}]*\\}", "\"deviceInfo\":" + java.util.regex.Matcher.quoteReplacement(deviceInfo));
        assertInstanceOf(ParsedScan.Malformed.class, parse(json), json);
    }

    @Test
    void acceptsEmojiAndAccentsInLocations() {
        String json = VALID.replace("Hall A", "Salle \u00e9t\u00e9 \ud83c\udf89");
        assertEquals("Salle été 🎉", assertInstanceOf(ParsedScan.Valid.class, parse(json)).scan().location());
    }

    @Test
    void rejectsAnEmptyMessage() {
        assertEquals("body: empty", assertInstanceOf(ParsedScan.Malformed.class, parser.parse(new byte[0])).problem());
    }

    @Test
    void rejectsIdsLongerThan128Characters() {
        String json = VALID.replace("\"p-1\"", "\"" + "p".repeat(129) + "\"");
        assertEquals("participantId: expected 1 to 128 letters, digits or . _ : @ - (starting with a letter or digit)",
                assertInstanceOf(ParsedScan.Malformed.class, parse(json)).problem());
    }

    @ParameterizedTest(name = "deviceInfo {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{\"x\": 1e-131}", "{\"x\": -1e-200}", "{\"x\": 1e126}", "{\"x\": -9.99e130}",
            "{\"x\": 1.2345678901234567890123456789012345678901}", "{\"x\": 123456789012345678901234567890123456789}",
            "{\"x\": {\"nested\": 1e-200}}", "{\"x\": [1e300]}"})
    void refusesEveryNumberDynamoDbCannotHoldAnywhereInTheScan(String deviceInfo) {
        String json = VALID.replaceFirst("\"deviceInfo\":\\{[^}]*\\}", "\"deviceInfo\":" + java.util.regex.Matcher.quoteReplacement(deviceInfo));
        var malformed = assertInstanceOf(ParsedScan.Malformed.class, parse(json), json);
        assertEquals("deviceInfo: expected an object of at most 20 text, number or true/false values", malformed.problem());
    }

    @ParameterizedTest(name = "deviceInfo {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{\"x\": 1e-130}", "{\"x\": 9.9999999999999999999999999999999999999e125}", "{\"x\": 0}", "{\"x\": -0.0}",
            "{\"x\": 12345678901234567890123456789012345678}", "{\"x\": 1.50000000000000000000000000000000000000000}"})
    void keepsNumbersAtDynamoDbsLimits(String deviceInfo) {
        String json = VALID.replaceFirst("\"deviceInfo\":\\{[^}]*\\}", "\"deviceInfo\":" + java.util.regex.Matcher.quoteReplacement(deviceInfo));
        assertInstanceOf(ParsedScan.Valid.class, parse(json), json);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "+999999999-12-31T23:59:59Z  | year 999999999",
            "-999999999-01-01T00:00:00Z  | year -999999999",
            "1970-01-01T00:00:00Z        | year 1970",
            "2200-01-01T00:00:00Z        | year 2200",
            "1999-12-31T23:59:59-01:00   | year 2000 is fine"})
    void refusesTimestampsJavaReadsButNoGateCouldHaveMade(String timestamp, String why) {
        String json = VALID.replace("2026-11-26T10:15:30.250+01:00", timestamp.strip());
        ParsedScan parsed = parse(json);
        if (why.endsWith("is fine")) {
            assertInstanceOf(ParsedScan.Valid.class, parsed);
        } else {
            String problem = assertInstanceOf(ParsedScan.Malformed.class, parsed).problem();
            assertEquals("timestamp: " + why + " is not a plausible scan time (2000 to 2199); is the gate's clock set?", problem);
        }
    }

    @Test
    void aMemberGivenTwiceIsRefusedNotReadAsTheLastOne() {
        String json = VALID.replace("\"gateId\":\"north\"", "\"gateId\":\"north\",\"gateId\":\"vip\"");
        assertEquals("body: a member appears twice", assertInstanceOf(ParsedScan.Malformed.class, parse(json)).problem());
    }

    @Test
    void aScanOnItsOwnGatesTopicIsValidOnAnotherGatesTopicIsForeign() {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(ParsedScan.Valid.class, parser.parse(GateMessage.fromRecord(GateMessage.toRecord("demo-2026", "north", body))));
        var foreignGate = assertInstanceOf(ParsedScan.ForeignTopic.class,
                parser.parse(GateMessage.fromRecord(GateMessage.toRecord("demo-2026", "vip", body))));
        assertEquals("vip", foreignGate.topicGateId());
        assertEquals("published on the topic of event demo-2026, gate vip but names event demo-2026, gate north",
                foreignGate.problem());
        assertInstanceOf(ParsedScan.ForeignTopic.class,
                parser.parse(GateMessage.fromRecord(GateMessage.toRecord("other-event", "north", body))));
    }

    @Test
    void garbageOnAGatesTopicIsAnsweredToThatGateWithWhatCouldBeRead() {
        var m = assertInstanceOf(ParsedScan.Malformed.class, parser.parse(GateMessage.fromRecord(
                GateMessage.toRecord("demo-2026", "north", "{\"scanId\":\"s-1\",\"gateId\":\"vip\",\"timestamp\":1}"
                        .getBytes(StandardCharsets.UTF_8)))));
        assertEquals("north", m.gateId(), "the topic's gate, not the body's");
        assertEquals("demo-2026", m.eventId());
        assertEquals("s-1", m.scanId(), "so the gate can tell which scan it was");
        var binary = assertInstanceOf(ParsedScan.Malformed.class, parser.parse(GateMessage.fromRecord(
                GateMessage.toRecord("demo-2026", "north", new byte[] {(byte) 0xff, 0, 1}))));
        assertEquals("north", binary.gateId());
    }

    @Test
    void aRecordThatIsNotTheRulesEnvelopeOrATopicWithInvalidIdsHasNoGateToAnswer() {
        var notEnvelope = assertInstanceOf(ParsedScan.Malformed.class,
                parser.parse(GateMessage.fromRecord(VALID.getBytes(StandardCharsets.UTF_8))));
        assertEquals("record: not the topic rule's envelope (payload missing)", notEnvelope.problem());
        var badTopic = assertInstanceOf(ParsedScan.Malformed.class, parser.parse(GateMessage.fromRecord(
                GateMessage.toRecord("demo 2026", "north", VALID.getBytes(StandardCharsets.UTF_8)))));
        assertEquals(null, badTopic.gateId());
    }

    @Test
    void aMalformedProvisionalLeavesTheScanValidAndIsKeptAsSentForTheDecisionToRead() {
        var valid = assertInstanceOf(ParsedScan.Valid.class, parse(VALID.replace("\"futureField\"",
                "\"provisional\":[\"let in\"],\"futureField\"")));
        assertEquals("6f1c2a9e-0c2b-4b8e-9a51-3f0c1b2d4e5f", valid.scan().scanId());
        assertEquals(java.util.List.of("let in"), valid.provisional());
    }

    @Test
    void aProvisionalIsReadBesideTheScanAndAScanWithoutOneHasNone() {
        var valid = assertInstanceOf(ParsedScan.Valid.class, parse(VALID.replace("\"futureField\"",
                "\"provisional\":{\"verdict\":\"duplicate\",\"allowListVersion\":12},\"futureField\"")));
        assertEquals(java.util.Map.of("verdict", "duplicate", "allowListVersion", 12), valid.provisional());
        assertEquals(null, assertInstanceOf(ParsedScan.Valid.class, parse(VALID)).provisional());
    }
}
