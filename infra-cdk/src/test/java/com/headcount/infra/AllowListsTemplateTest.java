package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV;
import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The allow-lists in the template: a private, encrypted, TLS-only bucket whose lists expire and which only the
 * dashboard site's check-in page may read cross-origin, the request rule as the functions route it locally, IoT alone
 * invoking the function and only for that rule, the API presigning as the function does, and a gate that can ask for,
 * hear and receive only its own list and its own event's deltas.
 */
class AllowListsTemplateTest {

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndItsListsExpire() {
        var bucket = (Map<?, ?>) ((Map<?, ?>) Synthesised.resources(DEV_TEMPLATE, "AWS::S3::Bucket")
                .get(Synthesised.logicalId(DEV.allowLists().bucket()))).get("Properties");
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true), bucket.get("PublicAccessBlockConfiguration"));
        assertTrue(bucket.get("BucketEncryption").toString().contains("SSEAlgorithm=AES256"), bucket.toString());
        String lifecycle = bucket.get("LifecycleConfiguration").toString();
        assertTrue(lifecycle.contains("ExpirationInDays=" + AllowLists.EXPIRE_DAYS) && lifecycle.contains("Prefix=allowlists/"),
                lifecycle);
        String policies = Synthesised.properties(DEV_TEMPLATE, "AWS::S3::BucketPolicy").toString();
        assertTrue(policies.contains("aws:SecureTransport=false") && policies.contains("Effect=Deny"), "TLS only");
    }

    @Test
    void theCheckInPagesOriginsAloneMayReadAListCrossOriginWithGetOrHead() {
        for (HeadcountStack stack : List.of(DEV, Synthesised.PROD)) {
            var template = stack == DEV ? DEV_TEMPLATE : Synthesised.PROD_TEMPLATE;
            var bucket = (Map<?, ?>) ((Map<?, ?>) Synthesised.resources(template, "AWS::S3::Bucket")
                    .get(Synthesised.logicalId(stack.allowLists().bucket()))).get("Properties");
            var rules = (List<?>) ((Map<?, ?>) bucket.get("CorsConfiguration")).get("CorsRules");
            assertEquals(1, rules.size(), rules.toString());
            var rule = (Map<?, ?>) rules.get(0);
            assertEquals(List.of("GET", "HEAD"), rule.get("AllowedMethods"));
            // the pages' origins as the API's CORS has them: the distribution's own domain, and prod's hosted dashboard
            var origins = (List<?>) rule.get("AllowedOrigins");
            assertEquals(Synthesised.resolved(stack, stack.dashboard().origin()), origins.get(origins.size() - 1));
            assertEquals(stack == DEV ? 1 : 2, origins.size(), origins.toString());
            if (stack != DEV) assertEquals("https://ops.example.org", origins.get(0));
            assertTrue(String.valueOf(rule.get("AllowedOrigins")).contains(
                    Synthesised.logicalId(stack.dashboard().distribution())), rule.toString());
            assertFalse(rule.containsKey("AllowedHeaders") || rule.containsKey("ExposedHeaders"), rule.toString());
            var site = (Map<?, ?>) ((Map<?, ?>) Synthesised.resources(template, "AWS::S3::Bucket")
                    .get(Synthesised.logicalId(stack.dashboard().bucket()))).get("Properties");
            assertFalse(site.containsKey("CorsConfiguration"), "the site itself is read by CloudFront only");
        }
    }

    @Test
    void theApiMayPresignAListForAStaffPhoneAsTheGatesFunctionDoes() {
        String role = Synthesised.logicalId(DEV.apiFunction().function().function().getRole());
        String bucket = Synthesised.logicalId(DEV.allowLists().bucket());
        List<String> s3 = new java.util.ArrayList<>();
        for (var policy : Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy")) {
            if (!((List<?>) policy.get("Roles")).contains(Map.of("Ref", role))) continue;
            for (Object st : (List<?>) ((Map<?, ?>) policy.get("PolicyDocument")).get("Statement")) {
                Object actions = ((Map<?, ?>) st).get("Action");
                for (Object action : actions instanceof List<?> l ? l : List.of(actions)) {
                    if (String.valueOf(action).startsWith("s3:")) {
                        s3.add(action + " " + ((Map<?, ?>) st).get("Resource"));
                    }
                }
            }
        }
        assertEquals(2, s3.size(), s3.toString());
        assertTrue(s3.get(0).startsWith("s3:GetObject ") && s3.get(1).startsWith("s3:PutObject "),
                "a presigned GET is signed with the signer's s3:GetObject: " + s3);
        for (String grant : s3) assertTrue(grant.contains(bucket) && grant.contains("/allowlists/*"), grant);
    }

    @Test
    void theRuleSelectsWhatTheFunctionReadsAndOnlyThatRuleMayInvokeIt() throws Exception {
        var names = new StageNames("dev");
        Map<?, ?> payload = Synthesised.properties(DEV_TEMPLATE, "AWS::IoT::TopicRule").stream()
                .filter(r -> names.allowListRule().equals(r.get("RuleName"))).findFirst().map(r -> (Map<?, ?>) r.get("TopicRulePayload"))
                .orElseThrow();
        String functionsSql;
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {Synthesised.REPOSITORY.functionsJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            functionsSql = (String) loader.loadClass("com.headcount.core.allowlist.AllowListTopics")
                    .getMethod("ruleSql", String.class).invoke(null, "dev");
        }
        assertEquals(functionsSql, payload.get("Sql"));
        assertTrue(functionsSql.contains("FROM 'headcount/dev/+/gates/+/allowlist/get'"), "only its own stage's gates");
        var permissions = Synthesised.properties(DEV_TEMPLATE, "AWS::Lambda::Permission").stream()
                .filter(p -> "iot.amazonaws.com".equals(p.get("Principal"))).toList();
        assertEquals(1, permissions.size(), "IoT invokes one function: " + permissions);
        assertTrue(permissions.get(0).get("SourceArn").toString().contains("rule/" + names.allowListRule()),
                permissions.get(0).toString());
        assertTrue(permissions.get(0).containsKey("SourceAccount"));
    }

    @Test
    void theFunctionsReadAndWriteListsUnderThePrefixOnlyAndPublishOnlyOnTheAllowListTopics() {
        String policies = Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy").toString();
        String bucket = Synthesised.logicalId(DEV.allowLists().bucket());
        assertTrue(policies.contains(bucket), "granted on the bucket");
        assertTrue(policies.contains("/allowlists/*"), "on its prefix");
        assertFalse(policies.matches("(?s).*s3:\\*.*"), "no wildcard S3 action");
        assertFalse(policies.contains("s3:ListBucket"), "no listing: a gate's URL names one object");
        assertTrue(policies.contains(":topic/headcount/dev/*/gates/*/allowlist") && policies.contains(":topic/headcount/dev/*/allowlist/deltas"));
        assertFalse(policies.contains(":topic/headcount/prod/"), "a dev function publishes to no prod gate");
    }

    @Test
    void aGateMayAskForHearAndReceiveOnlyItsOwnListAndItsOwnEventsDeltas() {
        String policy = Synthesised.properties(DEV_TEMPLATE, "AWS::IoT::Policy").toString();
        String gate = "headcount/dev/${iot:Connection.Thing.Attributes[eventId]}/gates/${iot:Connection.Thing.Attributes[gateId]}";
        String event = "headcount/dev/${iot:Connection.Thing.Attributes[eventId]}";
        for (String grant : List.of(":topic/" + gate + "/allowlist/get", ":topicfilter/" + gate + "/allowlist",
                ":topic/" + gate + "/allowlist", ":topicfilter/" + event + "/allowlist/deltas", ":topic/" + event + "/allowlist/deltas")) {
            assertTrue(policy.contains(grant), grant + " in " + policy);
        }
        assertFalse(policy.contains("headcount/dev/*") || policy.contains("/+/") || policy.contains("headcount/prod"),
                "no other event's, gate's or stage's topics");
    }
}
