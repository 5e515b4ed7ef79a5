package com.headcount.infra.gates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.*;

/**
 * AWS IoT's control plane as far as onboarding uses it: things, certificates, policy attachments, kept in memory
 * with IoT's own refusals (a thing name taken, deleting a thing that still has a principal, a certificate still
 * attached or active). Every call is recorded in order.
 */
final class FakeIotControlPlane implements IotClient {

    final List<String> calls = new ArrayList<>();
    final Map<String, Map<String, String>> things = new HashMap<>();
    final Map<String, Set<String>> thingPrincipals = new HashMap<>();
    final Map<String, CertificateStatus> certificates = new HashMap<>();
    final Map<String, Set<String>> policyTargets = new HashMap<>();
    final Set<String> exclusive = new LinkedHashSet<>();
    final Map<String, String> thingTypes = new HashMap<>();
    /** How many deleteThing calls still see the detached principal (IoT detaches asynchronously). */
    int detachLag;
    private int nextCertificate = 1;

    @Override
    public DescribeEndpointResponse describeEndpoint(DescribeEndpointRequest r) {
        calls.add("describeEndpoint " + r.endpointType());
        return DescribeEndpointResponse.builder().endpointAddress("abc123-ats.iot.eu-west-1.amazonaws.com").build();
    }

    @Override
    public DescribeThingResponse describeThing(DescribeThingRequest r) {
        calls.add("describeThing " + r.thingName());
        Map<String, String> attributes = things.get(r.thingName());
        if (attributes == null) throw ResourceNotFoundException.builder().message("no thing " + r.thingName()).build();
        return DescribeThingResponse.builder().thingName(r.thingName()).attributes(attributes).build();
    }

    @Override
    public CreateThingResponse createThing(CreateThingRequest r) {
        calls.add("createThing " + r.thingName() + " type=" + r.thingTypeName() + " " + new java.util.TreeMap<>(r.attributePayload().attributes()));
        if (things.containsKey(r.thingName())) throw ResourceAlreadyExistsException.builder().message("taken").build();
        things.put(r.thingName(), Map.copyOf(r.attributePayload().attributes()));
        thingTypes.put(r.thingName(), r.thingTypeName());
        return CreateThingResponse.builder().thingName(r.thingName()).build();
    }

    @Override
    public CreateKeysAndCertificateResponse createKeysAndCertificate(CreateKeysAndCertificateRequest r) {
        String id = "cert" + nextCertificate++;
        calls.add("createKeysAndCertificate active=" + r.setAsActive() + " -> " + id);
        certificates.put(arn(id), Boolean.TRUE.equals(r.setAsActive()) ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE);
        return CreateKeysAndCertificateResponse.builder().certificateId(id).certificateArn(arn(id))
                .certificatePem("-----BEGIN CERTIFICATE-----\n" + id + "\n-----END CERTIFICATE-----\n")
                .keyPair(KeyPair.builder().privateKey("-----BEGIN RSA PRIVATE KEY-----\nkey of " + id + "\n-----END RSA PRIVATE KEY-----\n").build())
                .build();
    }

    @Override
    public AttachPolicyResponse attachPolicy(AttachPolicyRequest r) {
        calls.add("attachPolicy " + r.policyName() + " " + id(r.target()));
        policyTargets.computeIfAbsent(r.policyName(), p -> new LinkedHashSet<>()).add(r.target());
        return AttachPolicyResponse.builder().build();
    }

    @Override
    public AttachThingPrincipalResponse attachThingPrincipal(AttachThingPrincipalRequest r) {
        calls.add("attachThingPrincipal " + r.thingName() + " " + id(r.principal()) + " " + r.thingPrincipalType());
        // IoT refuses a second thing for a principal attached exclusively
        boolean elsewhere = thingPrincipals.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(r.thingName()) && e.getValue().contains(r.principal()));
        if (elsewhere && (exclusive.contains(r.principal()) || r.thingPrincipalType() == ThingPrincipalType.EXCLUSIVE_THING)) {
            throw InvalidRequestException.builder().message("principal is attached exclusively to another thing").build();
        }
        if (r.thingPrincipalType() == ThingPrincipalType.EXCLUSIVE_THING) exclusive.add(r.principal());
        thingPrincipals.computeIfAbsent(r.thingName(), t -> new LinkedHashSet<>()).add(r.principal());
        return AttachThingPrincipalResponse.builder().build();
    }

    /** One page per call, of one thing, so the paginator's continuation is exercised. */
    @Override
    public ListThingsResponse listThings(ListThingsRequest r) {
        calls.add("listThings type=" + r.thingTypeName() + (r.nextToken() == null ? "" : " from " + r.nextToken()));
        List<String> names = things.keySet().stream().sorted()
                .filter(t -> r.thingTypeName() == null || r.thingTypeName().equals(thingTypes.get(t))).toList();
        int from = r.nextToken() == null ? 0 : Integer.parseInt(r.nextToken());
        if (from >= names.size()) return ListThingsResponse.builder().things(List.of()).build();
        String name = names.get(from);
        return ListThingsResponse.builder()
                .things(ThingAttribute.builder().thingName(name).thingTypeName(thingTypes.get(name)).attributes(things.get(name)).build())
                .nextToken(from + 1 < names.size() ? Integer.toString(from + 1) : null)
                .build();
    }

    @Override
    public ListThingPrincipalsResponse listThingPrincipals(ListThingPrincipalsRequest r) {
        calls.add("listThingPrincipals " + r.thingName());
        return ListThingPrincipalsResponse.builder()
                .principals(List.copyOf(thingPrincipals.getOrDefault(r.thingName(), Set.of()))).build();
    }

    @Override
    public DetachThingPrincipalResponse detachThingPrincipal(DetachThingPrincipalRequest r) {
        calls.add("detachThingPrincipal " + r.thingName() + " " + id(r.principal()));
        if (detachLag == 0) thingPrincipals.getOrDefault(r.thingName(), new LinkedHashSet<>()).remove(r.principal());
        return DetachThingPrincipalResponse.builder().build();
    }

    @Override
    public DetachPolicyResponse detachPolicy(DetachPolicyRequest r) {
        calls.add("detachPolicy " + r.policyName() + " " + id(r.target()));
        policyTargets.getOrDefault(r.policyName(), new LinkedHashSet<>()).remove(r.target());
        return DetachPolicyResponse.builder().build();
    }

    @Override
    public UpdateCertificateResponse updateCertificate(UpdateCertificateRequest r) {
        calls.add("updateCertificate " + r.certificateId() + " " + r.newStatus());
        certificates.put(arn(r.certificateId()), r.newStatus());
        return UpdateCertificateResponse.builder().build();
    }

    @Override
    public DeleteCertificateResponse deleteCertificate(DeleteCertificateRequest r) {
        calls.add("deleteCertificate " + r.certificateId());
        String arn = arn(r.certificateId());
        if (certificates.get(arn) == CertificateStatus.ACTIVE) throw CertificateStateException.builder().message("active").build();
        if (policyTargets.values().stream().anyMatch(t -> t.contains(arn))) {
            throw DeleteConflictException.builder().message("policy still attached").build();
        }
        certificates.remove(arn);
        return DeleteCertificateResponse.builder().build();
    }

    @Override
    public DeleteThingResponse deleteThing(DeleteThingRequest r) {
        calls.add("deleteThing " + r.thingName());
        if (detachLag > 0) {
            detachLag--;
            if (detachLag == 0) thingPrincipals.remove(r.thingName());
            throw InvalidRequestException.builder().message("Cannot delete thing which has attached principals").build();
        }
        if (!thingPrincipals.getOrDefault(r.thingName(), Set.of()).isEmpty()) {
            throw InvalidRequestException.builder().message("Cannot delete thing which has attached principals").build();
        }
        things.remove(r.thingName());
        thingTypes.remove(r.thingName());
        thingPrincipals.remove(r.thingName());
        return DeleteThingResponse.builder().build();
    }

    static String arn(String certificateId) {
        return "arn:aws:iot:eu-west-1:111122223333:cert/" + certificateId;
    }

    private static String id(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    @Override
    public String serviceName() {
        return "iot";
    }

    @Override
    public void close() {}
}
