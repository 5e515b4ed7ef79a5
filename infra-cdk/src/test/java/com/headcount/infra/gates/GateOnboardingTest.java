package com.headcount.infra.gates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.infra.StageNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateOnboardingTest {

    @TempDir
    Path out;

    private final FakeIotControlPlane iot = new FakeIotControlPlane();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final List<Duration> waits = new ArrayList<>();

    private GateOnboarding onboarding() {
        return new GateOnboarding(iot, new StageNames("dev"), out, new PrintStream(printed, true), waits::add);
    }

    @Test
    void eachGateBecomesAThingOfItsEventWithACertificateCarryingTheGatePolicy() throws Exception {
        onboarding().onboard("gala", List.of("north", "south"));

        assertEquals(List.of(
                "describeEndpoint iot:Data-ATS",
                "describeThing headcount-dev_gala_north",
                "createThing headcount-dev_gala_north type=headcount-dev-gate {eventId=gala, gateId=north}",
                "createKeysAndCertificate active=true -> cert1",
                "attachPolicy headcount-dev-gate cert1",
                "attachThingPrincipal headcount-dev_gala_north cert1 EXCLUSIVE_THING",
                "describeThing headcount-dev_gala_south",
                "createThing headcount-dev_gala_south type=headcount-dev-gate {eventId=gala, gateId=south}",
                "createKeysAndCertificate active=true -> cert2",
                "attachPolicy headcount-dev-gate cert2",
                "attachThingPrincipal headcount-dev_gala_south cert2 EXCLUSIVE_THING"), iot.calls);

        Path north = out.resolve("gala/north");
        assertEquals("-----BEGIN CERTIFICATE-----\ncert1\n-----END CERTIFICATE-----\n", Files.readString(north.resolve("certificate.pem.crt")));
        assertTrue(Files.readString(north.resolve("private.pem.key")).contains("key of cert1"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(north.resolve("private.pem.key"))));
        Map<String, String> config = readConfig(north.resolve("gate.env"));
        assertEquals(Map.of(
                "HEADCOUNT_GATE_MODE", "aws-iot",
                "HEADCOUNT_STAGE", "dev",
                "HEADCOUNT_EVENT_ID", "gala",
                "HEADCOUNT_GATE_ID", "north",
                "HEADCOUNT_THING_NAME", "headcount-dev_gala_north",
                "HEADCOUNT_IOT_ENDPOINT", "abc123-ats.iot.eu-west-1.amazonaws.com",
                "HEADCOUNT_IOT_CERT", "certificate.pem.crt",
                "HEADCOUNT_IOT_KEY", "private.pem.key",
                "HEADCOUNT_SCAN_TOPIC_PREFIX", "$aws/rules/headcount_dev_scans/",
                "HEADCOUNT_QUEUE_DIR", "queue"), config);
    }

    @Test
    void theConfigFileSpeaksGateConfigsLanguage() throws Exception {
        onboarding().onboard("gala", List.of("north"));
        Path gateConfig = Path.of("../iot-device/src/main/java/com/headcount/device/GateConfig.java");
        Matcher names = Pattern.compile("\"(HEADCOUNT_[A-Z_]+)\"").matcher(Files.readString(gateConfig));
        List<String> known = new ArrayList<>();
        while (names.find()) known.add(names.group(1));
        for (String name : readConfig(out.resolve("gala/north/gate.env")).keySet()) {
            assertTrue(known.contains(name), name + " is not a name GateConfig reads");
        }
    }

    @Test
    void runningItAgainIssuesNoSecondCertificateAndFinishesAHalfDoneGate() throws Exception {
        onboarding().onboard("gala", List.of("north"));
        iot.things.put("headcount-dev_gala_east", Map.of("eventId", "gala", "gateId", "east")); // interrupted run
        iot.calls.clear();

        onboarding().onboard("gala", List.of("north", "east"));

        assertFalse(iot.calls.stream().anyMatch(c -> c.contains("headcount-dev_gala_north") && !c.startsWith("describeThing")
                && !c.startsWith("listThingPrincipals")), iot.calls.toString());
        assertTrue(iot.calls.contains("attachThingPrincipal headcount-dev_gala_east cert2 EXCLUSIVE_THING"), iot.calls.toString());
        assertFalse(iot.calls.stream().anyMatch(c -> c.startsWith("createThing")), "the existing thing is reused");
        assertTrue(printed.toString().contains("north: already onboarded"));
    }

    @Test
    void aThingOfAnotherGateIsNeverTakenOver() {
        iot.things.put("headcount-dev_gala_north", Map.of("eventId", "gala", "gateId", "somewhere-else"));
        var e = assertThrows(IllegalStateException.class, () -> onboarding().onboard("gala", List.of("north")));
        assertTrue(e.getMessage().contains("exists for another event or gate"));
        assertFalse(iot.calls.stream().anyMatch(c -> c.startsWith("create")), iot.calls.toString());
    }

    @Test
    void idsThatCannotNameAThingAreRefusedBeforeAnyCall() {
        for (List<String> gates : List.<List<String>>of(List.of("north.1"), List.of("a/b"), List.of(), List.of("ok", "x@y"))) {
            assertThrows(IllegalArgumentException.class, () -> onboarding().onboard("gala", gates), gates.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> onboarding().onboard("gala+2026", List.of("north")));
        assertEquals(List.of(), iot.calls);
    }

    @Test
    void aGatesCertificateIsAttachedToItsThingAloneSoItCannotBeMovedToAnother() throws Exception {
        onboarding().onboard("gala", List.of("north"));
        String cert = FakeIotControlPlane.arn("cert1");
        assertTrue(iot.exclusive.contains(cert), "attached as EXCLUSIVE_THING");
        iot.things.put("headcount-dev_gala_south", Map.of("eventId", "gala", "gateId", "south"));
        assertThrows(software.amazon.awssdk.services.iot.model.InvalidRequestException.class, () -> iot.attachThingPrincipal(
                b -> b.thingName("headcount-dev_gala_south").principal(cert)));
    }

    @Test
    void aThingNameLongerThanIotsLimitIsRefusedWithTheLengthsBeforeAnyCall() {
        String event = "e".repeat(64);
        String gate = "g".repeat(60);
        // headcount-dev_ + 64 + _ + 60 = 139
        var e = assertThrows(IllegalArgumentException.class, () -> onboarding().onboard(event, List.of("north", gate)));
        assertTrue(e.getMessage().contains("139 characters") && e.getMessage().contains("at most 128")
                && e.getMessage().contains("may have 113 characters together"), e.getMessage());
        assertEquals(List.of(), iot.calls, "not even the gate that fits was onboarded");
        String fits = "g".repeat(113 - 64);
        assertEquals(128, new StageNames("dev").thing(event, fits).length());
    }

    @Test
    void offboardingUndoesEverythingInTheOrderIotAccepts() throws Exception {
        onboarding().onboard("gala", List.of("north"));
        iot.calls.clear();
        iot.detachLag = 2; // the thing still shows its certificate for two attempts

        onboarding().offboard("gala", List.of("north", "west"));

        assertEquals(List.of(
                "describeThing headcount-dev_gala_north",
                "listThingPrincipals headcount-dev_gala_north",
                "detachThingPrincipal headcount-dev_gala_north cert1",
                "detachPolicy headcount-dev-gate cert1",
                "updateCertificate cert1 INACTIVE",
                "deleteCertificate cert1",
                "deleteThing headcount-dev_gala_north",
                "deleteThing headcount-dev_gala_north",
                "deleteThing headcount-dev_gala_north",
                "describeThing headcount-dev_gala_west"), iot.calls);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), waits);
        assertTrue(iot.things.isEmpty() && iot.certificates.isEmpty());
        assertFalse(Files.exists(out.resolve("gala/north")), "the key and config are gone with the certificate");
        assertTrue(printed.toString().contains("west: not onboarded"));
    }

    @Test
    void offboardingAllLeavesNoGateOfTheStageSoCdkDestroyCanDeleteThePolicyAndThingType() throws Exception {
        onboarding().onboard("gala", List.of("north", "south"));
        onboarding().onboard("gig", List.of("east"));
        iot.things.put("someone-elses-thing", Map.of());
        iot.thingTypes.put("someone-elses-thing", "headcount-dev-gate");
        iot.things.put("headcount-prod_gala_north", Map.of("eventId", "gala", "gateId", "north"));
        iot.thingTypes.put("headcount-prod_gala_north", "headcount-prod-gate");
        iot.calls.clear();

        onboarding().offboardAll();

        assertEquals(java.util.Set.of("someone-elses-thing", "headcount-prod_gala_north"), iot.things.keySet(),
                "another stage's gate and a thing not made by onboarding stay");
        assertTrue(iot.policyTargets.get("headcount-dev-gate").isEmpty(), "the gate policy is attached to nothing");
        assertTrue(iot.certificates.isEmpty());
        assertEquals(4, iot.calls.stream().filter(c -> c.startsWith("listThings type=headcount-dev-gate")).count(),
                "every page read: " + iot.calls);
        assertTrue(printed.toString().contains("someone-elses-thing: not a gate onboarded by this command"));
        assertFalse(Files.exists(out.resolve("gig/east")));
    }

    private static Map<String, String> readConfig(Path file) throws Exception {
        Map<String, String> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return values;
    }
}
