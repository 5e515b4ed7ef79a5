package com.headcount.infra.gates;

import com.headcount.infra.StageNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ThingPrincipalType;

/**
 * Registers the gates of an event with AWS IoT Core, and removes them again. A gate is a thing of the stage's thing
 * type whose attributes carry its event and gate (the gate policy reads them), with one certificate of its own that
 * carries the gate policy. For each gate a folder {@code <out>/<event>/<gate>/} receives the certificate, its private
 * key (readable by the owner only) and {@code gate.env}, the configuration {@code iot-device}'s GateMain reads.
 *
 * <p>Onboarding is safe to run again: a gate that already has a certificate is left alone (offboard it first to
 * issue a new one), one left half-done by an interrupted run is completed.
 */
public final class GateOnboarding {

    /** Thing names take letters, digits, {@code _ - :}; event and gate ids may take {@code . @} too, not here. */
    private static final Pattern THING_SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_:-]{0,63}");
    /** AWS IoT's limit on a thing's name (and the gate connects with it as its MQTT client id, limited the same). */
    static final int MAX_THING_NAME = 128;
    static final String CERTIFICATE = "certificate.pem.crt";
    static final String PRIVATE_KEY = "private.pem.key";
    static final String CONFIG = "gate.env";

    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final IotClient iot;
    private final StageNames names;
    private final Path out;
    private final PrintStream log;
    private final Sleeper sleeper;

    public GateOnboarding(IotClient iot, StageNames names, Path out, PrintStream log, Sleeper sleeper) {
        this.iot = iot;
        this.names = names;
        this.out = out;
        this.log = log;
        this.sleeper = sleeper;
    }

    public void onboard(String eventId, List<String> gateIds) throws IOException {
        check(eventId, gateIds);
        String endpoint = iot.describeEndpoint(b -> b.endpointType("iot:Data-ATS")).endpointAddress();
        for (String gateId : gateIds) {
            String thing = names.thing(eventId, gateId);
            DescribeThingResponse existing = describe(thing);
            if (existing != null) {
                if (!eventId.equals(existing.attributes().get("eventId")) || !gateId.equals(existing.attributes().get("gateId"))) {
                    throw new IllegalStateException("thing " + thing + " exists for another event or gate: "
                            + existing.attributes() + "; nothing was changed for it");
                }
                List<String> certificates = certificates(thing);
                if (!certificates.isEmpty()) {
                    log.printf("%s: already onboarded (%s); offboard it first to issue a new certificate%n", gateId,
                            String.join(", ", certificates));
                    continue;
                }
            } else {
                iot.createThing(b -> b.thingName(thing).thingTypeName(names.thingType())
                        .attributePayload(a -> a.attributes(Map.of("eventId", eventId, "gateId", gateId))));
            }
            CreateKeysAndCertificateResponse certificate = iot.createKeysAndCertificate(b -> b.setAsActive(true));
            // the private key exists only in this response: written before anything else can fail
            Path folder = writeFiles(eventId, gateId, thing, endpoint, certificate);
            iot.attachPolicy(b -> b.policyName(names.gatePolicy()).target(certificate.certificateArn()));
            // exclusive: IoT then refuses to attach the certificate to any other thing, so a gate's key can never
            // speak as another gate's thing (the policy's IsAttached check alone would accept any thing it is on)
            iot.attachThingPrincipal(b -> b.thingName(thing).principal(certificate.certificateArn())
                    .thingPrincipalType(ThingPrincipalType.EXCLUSIVE_THING));
            log.printf("%s: thing %s, certificate %s, files in %s%n", gateId, thing, certificate.certificateId(), folder);
        }
    }

    public void offboard(String eventId, List<String> gateIds) throws IOException, InterruptedException {
        check(eventId, gateIds);
        for (String gateId : gateIds) {
            String thing = names.thing(eventId, gateId);
            if (describe(thing) == null) {
                log.printf("%s: not onboarded (no thing %s)%n", gateId, thing);
                continue;
            }
            for (String arn : certificates(thing)) {
                String id = arn.substring(arn.lastIndexOf('/') + 1);
                iot.detachThingPrincipal(b -> b.thingName(thing).principal(arn));
                iot.detachPolicy(b -> b.policyName(names.gatePolicy()).target(arn));
                iot.updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.INACTIVE));
                iot.deleteCertificate(b -> b.certificateId(id));
            }
            deleteThing(thing);
            Path folder = folder(eventId, gateId);
            for (String file : List.of(CERTIFICATE, PRIVATE_KEY, CONFIG)) Files.deleteIfExists(folder.resolve(file));
            if (Files.isDirectory(folder) && isEmpty(folder)) Files.delete(folder);
            log.printf("%s: thing %s and its certificates removed%n", gateId, thing);
        }
    }

    /**
     * Every gate of the stage, whatever its event: {@code cdk destroy} cannot delete the gate policy while a
     * certificate carries it, nor the thing type while a thing has it. A thing of the type without our attributes was
     * not made here and is left alone, named.
     */
    public void offboardAll() throws IOException, InterruptedException {
        Map<String, List<String>> gatesByEvent = new TreeMap<>();
        iot.listThingsPaginator(b -> b.thingTypeName(names.thingType())).things().forEach(t -> {
            String eventId = t.attributes().get("eventId");
            String gateId = t.attributes().get("gateId");
            if (eventId == null || gateId == null || !t.thingName().equals(names.thing(eventId, gateId))) {
                log.printf("%s: not a gate onboarded by this command, left alone%n", t.thingName());
            } else {
                gatesByEvent.computeIfAbsent(eventId, e -> new ArrayList<>()).add(gateId);
            }
        });
        if (gatesByEvent.isEmpty()) log.printf("no gate of stage %s is onboarded%n", names.stage());
        for (var event : gatesByEvent.entrySet()) offboard(event.getKey(), event.getValue());
    }

    /** Detaching a certificate takes effect a few seconds later; until then the thing refuses to be deleted. */
    private void deleteThing(String thing) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                iot.deleteThing(b -> b.thingName(thing));
                return;
            } catch (InvalidRequestException stillAttached) {
                if (attempt == 10) throw stillAttached;
                sleeper.sleep(Duration.ofSeconds(attempt));
            }
        }
    }

    private Path writeFiles(String eventId, String gateId, String thing, String endpoint,
                            CreateKeysAndCertificateResponse certificate) throws IOException {
        Path folder = Files.createDirectories(folder(eventId, gateId));
        Files.writeString(folder.resolve(CERTIFICATE), certificate.certificatePem());
        Path key = folder.resolve(PRIVATE_KEY);
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, certificate.keyPair().privateKey());
        Files.writeString(folder.resolve(CONFIG), config(eventId, gateId, thing, endpoint));
        return folder;
    }

    /** GateConfig's names; paths are relative, so the folder can be copied to the gate and run from there. */
    String config(String eventId, String gateId, String thing, String endpoint) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("HEADCOUNT_GATE_MODE", "aws-iot");
        values.put("HEADCOUNT_STAGE", names.stage());
        values.put("HEADCOUNT_EVENT_ID", eventId);
        values.put("HEADCOUNT_GATE_ID", gateId);
        values.put("HEADCOUNT_THING_NAME", thing);
        values.put("HEADCOUNT_IOT_ENDPOINT", endpoint);
        values.put("HEADCOUNT_IOT_CERT", CERTIFICATE);
        values.put("HEADCOUNT_IOT_KEY", PRIVATE_KEY);
        values.put("HEADCOUNT_SCAN_TOPIC_PREFIX", names.basicIngestPrefix());
        values.put("HEADCOUNT_QUEUE_DIR", "queue");
        StringBuilder b = new StringBuilder("# gate ").append(gateId).append(" of event ").append(eventId)
                .append(", stage ").append(names.stage()).append(": GateMain reads these (env or NAME=value arguments)\n");
        values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private Path folder(String eventId, String gateId) {
        return out.resolve(eventId).resolve(gateId);
    }

    private DescribeThingResponse describe(String thing) {
        try {
            return iot.describeThing(b -> b.thingName(thing));
        } catch (ResourceNotFoundException absent) {
            return null;
        }
    }

    private List<String> certificates(String thing) {
        List<String> arns = new ArrayList<>();
        iot.listThingPrincipalsPaginator(b -> b.thingName(thing)).principals().forEach(p -> {
            if (p.contains(":cert/")) arns.add(p);
        });
        return arns;
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }

    private void check(String eventId, List<String> gateIds) {
        if (gateIds.isEmpty()) throw new IllegalArgumentException("name at least one gate");
        for (String id : concat(eventId, gateIds)) {
            if (id == null || !THING_SAFE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("'" + id + "' cannot be part of a thing name: 1 to 64 letters, digits "
                        + "or _ : - (starting with a letter or digit)");
            }
        }
        // checked for every gate before the first call, so a long id never leaves an event half onboarded
        for (String gateId : gateIds) {
            String thing = names.thing(eventId, gateId);
            if (thing.length() > MAX_THING_NAME) {
                throw new IllegalArgumentException("thing name " + thing + " would be " + thing.length()
                        + " characters; AWS IoT takes at most " + MAX_THING_NAME + ". With stage " + names.stage()
                        + ", an event id and a gate id may have " + (MAX_THING_NAME - names.thing("", "").length())
                        + " characters together: shorten event '" + eventId + "' or gate '" + gateId + "'");
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }
}
