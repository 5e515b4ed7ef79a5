package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV;
import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ChecksAndAlarmsTemplateTest {

    @Test
    void cdkNagAwsSolutionsFindsNoErrorInEitherStage() {
        for (HeadcountStack stack : List.of(DEV, PROD)) {
            var errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp(".*AwsSolutions-.*"));
            assertEquals(List.of(), errors.stream().map(e -> e.getId() + " " + e.getEntry().getData()).toList());
            var warnings = Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp(".*(AwsSolutions|CdkNag).*"));
            assertEquals(List.of(), warnings.stream().map(e -> e.getId() + " " + e.getEntry().getData()).toList());
        }
    }

    @Test
    void everySuppressionSaysWhy() {
        int suppressions = 0;
        for (Template template : List.of(DEV_TEMPLATE, PROD_TEMPLATE)) {
            for (Object resource : template.toJSON().values()) {
                if (!(resource instanceof Map<?, ?> section)) continue;
                for (Object r : section.values()) {
                    if (!(r instanceof Map<?, ?> res) || !(res.get("Metadata") instanceof Map<?, ?> metadata)) continue;
                    if (!(metadata.get("cdk_nag") instanceof Map<?, ?> nag)) continue;
                    for (Object s : (List<?>) nag.get("rules_to_suppress")) {
                        String reason = String.valueOf(((Map<?, ?>) s).get("reason"));
                        assertTrue(reason.length() >= 40 && reason.contains(" "), "a reason in words, not a token: " + s);
                        suppressions++;
                    }
                }
            }
        }
        assertTrue(suppressions > 0, "the suppressions were found where they are written");
    }

    @Test
    void theStuckPipelineAlarmsExist() {
        TreeSet<String> watched = new TreeSet<>();
        for (var alarm : Synthesised.properties(PROD_TEMPLATE, "AWS::CloudWatch::Alarm")) {
            watched.add(alarm.get("Namespace") + "/" + alarm.get("MetricName"));
            assertEquals(1, ((List<?>) alarm.get("AlarmActions")).size(), "every alarm notifies");
        }
        assertEquals(new TreeSet<>(List.of("AWS/Lambda/Errors", "AWS/Lambda/IteratorAge", "AWS/Lambda/Throttles",
                "AWS/SQS/ApproximateNumberOfMessagesVisible")), watched);
        var stuck = Synthesised.properties(DEV_TEMPLATE, "AWS::CloudWatch::Alarm").stream()
                .filter(a -> String.valueOf(a.get("AlarmDescription")).startsWith("StatisticsStuck")).toList();
        assertEquals(1, stuck.size());
        assertEquals(15 * 60 * 1000, stuck.get(0).get("Threshold"));
        assertEquals(1, Synthesised.resources(DEV_TEMPLATE, "AWS::CloudWatch::Dashboard").size());
    }

    @Test
    void theStackDashboardGraphsTheDecisionMetricsTheIngestFunctionWritesInItsStagesNamespace() throws Exception {
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {Synthesised.REPOSITORY.functionsJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> emf = loader.loadClass("com.headcount.adapters.cloudwatch.EmbeddedMetrics");
            for (String field : List.of("SCANS_DECIDED", "SCAN_TO_DECISION", "BATCH_AGE", "EDGE_MISMATCHES")) {
                names.put(field, (String) emf.getField(field).get(null));
            }
        }
        for (Template template : List.of(DEV_TEMPLATE, PROD_TEMPLATE)) {
            var namespaces = Synthesised.properties(template, "AWS::Lambda::Function").stream()
                    .map(f -> f.get("Environment") instanceof Map<?, ?> e && e.get("Variables") instanceof Map<?, ?> v
                            ? v.get("METRICS_NAMESPACE") : null)
                    .filter(java.util.Objects::nonNull).toList();
            assertEquals(1, namespaces.size(), "the ingest function is told where its metrics go: " + namespaces);
            String namespace = String.valueOf(namespaces.get(0));
            assertTrue(namespace.startsWith("Headcount/headcount"), namespace);
            String body = String.valueOf(Synthesised.properties(template, "AWS::CloudWatch::Dashboard").get(0)
                    .get("DashboardBody"));
            for (String metric : names.values()) {
                assertTrue(body.contains(metric), metric + " is on the dashboard");
            }
            assertTrue(body.contains("{" + namespace + ",Gate}"), "per gate, in the stage's own namespace");
        }
    }

    @Test
    void everyFailureQueueHasAnAlarmNamingItsOwnRunbookWhichTheReadmeHas() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        String runbooks = readme.substring(readme.indexOf("### When something lands in a queue (runbook)"));
        runbooks = runbooks.substring(0, runbooks.indexOf("\n### ", 1));
        Map<String, Object> queues = Map.of("IngestOnFailureQueue", PROD.ingest().onFailure(),
                "ScanRuleErrorsQueue", PROD.iotCore().scanRuleErrors(), "StatusRuleErrorsQueue", PROD.iotCore().statusRuleErrors(),
                "AlertDeliveryOnFailureQueue", PROD.alertDelivery().onFailure());
        var alarms = Synthesised.properties(PROD_TEMPLATE, "AWS::CloudWatch::Alarm").stream()
                .filter(a -> "AWS/SQS".equals(a.get("Namespace"))).toList();
        assertEquals(queues.size(), alarms.size());
        var outputs = PROD_TEMPLATE.findOutputs("*");
        for (var q : queues.entrySet()) {
            var queue = (software.amazon.awscdk.services.sqs.Queue) q.getValue();
            Object name = PROD.resolve(queue.getQueueName());
            var alarm = alarms.stream().filter(a -> String.valueOf(a.get("Dimensions")).contains(String.valueOf(name)))
                    .findFirst().orElseThrow(() -> new AssertionError("no alarm on " + q.getKey()));
            String description = String.valueOf(alarm.get("AlarmDescription"));
            assertTrue(description.contains("runbook " + q.getKey() + " "), description);
            assertTrue(runbooks.contains("**`" + q.getKey() + "`**"), "README's runbook has no entry " + q.getKey());
            assertEquals(Map.of("Value", PROD.resolve(queue.getQueueUrl())), outputs.get(q.getKey()),
                    "the stack output the runbook starts from");
        }
    }

    @Test
    void theDashboardSiteIsPrivateBehindCloudFrontWithOriginAccessControl() {
        var buckets = Synthesised.properties(DEV_TEMPLATE, "AWS::S3::Bucket");
        assertEquals(2, buckets.size(), "the dashboard's and the allow-lists' (AllowListsTemplateTest)");
        for (var bucket : buckets) {
            assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                    "RestrictPublicBuckets", true), bucket.get("PublicAccessBlockConfiguration"));
        }
        assertEquals(1, Synthesised.resources(DEV_TEMPLATE, "AWS::CloudFront::OriginAccessControl").size());
        var distribution = (Map<?, ?>) Synthesised.properties(DEV_TEMPLATE, "AWS::CloudFront::Distribution").get(0)
                .get("DistributionConfig");
        String origins = String.valueOf(distribution.get("Origins"));
        assertTrue(origins.contains("OriginAccessControlId"), origins);
        assertEquals("redirect-to-https", ((Map<?, ?>) distribution.get("DefaultCacheBehavior")).get("ViewerProtocolPolicy"));
    }

    @Test
    void theDashboardSiteSendsAStrictContentSecurityPolicyAndHsts() {
        for (var template : java.util.List.of(DEV_TEMPLATE, Synthesised.PROD_TEMPLATE)) {
            var policies = Synthesised.properties(template, "AWS::CloudFront::ResponseHeadersPolicy");
            assertEquals(1, policies.size());
            var config = (Map<?, ?>) policies.get(0).get("ResponseHeadersPolicyConfig");
            var security = (Map<?, ?>) config.get("SecurityHeadersConfig");
            String csp = String.valueOf(((Map<?, ?>) security.get("ContentSecurityPolicy")).get("ContentSecurityPolicy"));
            for (String directive : java.util.List.of("default-src 'none'", "script-src 'self';", "frame-ancestors 'none'",
                    "connect-src 'self' https://*.execute-api.", "wss://*.execute-api.", "base-uri 'none'",
                    // the check-in page: its allow-list download, its service worker and its manifest
                    ".amazonaws.com https://*.s3.", "worker-src 'self'", "manifest-src 'self'")) {
                assertTrue(csp.contains(directive), directive + " in " + csp);
            }
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval") || csp.contains(" * ")
                    || csp.contains(" https: ") || csp.contains(" wss: "), csp);
            var hsts = (Map<?, ?>) security.get("StrictTransportSecurity");
            assertTrue(((Number) hsts.get("AccessControlMaxAgeSec")).longValue() >= 31_536_000, hsts.toString());
            assertEquals(true, ((Map<?, ?>) security.get("ContentTypeOptions")).get("Override"));
            assertEquals("DENY", ((Map<?, ?>) security.get("FrameOptions")).get("FrameOption"));
            assertEquals("no-referrer", ((Map<?, ?>) security.get("ReferrerPolicy")).get("ReferrerPolicy"));
            var behavior = (Map<?, ?>) ((Map<?, ?>) Synthesised.properties(template, "AWS::CloudFront::Distribution").get(0)
                    .get("DistributionConfig")).get("DefaultCacheBehavior");
            assertEquals(Map.of("Ref", logicalIdOf(template, "AWS::CloudFront::ResponseHeadersPolicy")),
                    behavior.get("ResponseHeadersPolicyId"));
        }
    }

    private static String logicalIdOf(software.amazon.awscdk.assertions.Template template, String type) {
        var found = template.findResources(type);
        assertEquals(1, found.size());
        return found.keySet().iterator().next();
    }

    @Test
    void theDashboardsWebSocketApiHasItsThreeRoutesAndAStage() {
        List<Object> keys = new ArrayList<>();
        for (var r : Synthesised.properties(DEV_TEMPLATE, "AWS::ApiGatewayV2::Route")) {
            if (String.valueOf(r.get("RouteKey")).startsWith("$")) keys.add(r.get("RouteKey"));
        }
        assertEquals(new TreeSet<>(List.of("$connect", "$disconnect", "$default")), new TreeSet<>(keys));
        var routes = Synthesised.properties(DEV_TEMPLATE, "AWS::ApiGatewayV2::Route");
        // $connect checks the HTTP API's single-use ticket itself: no token ever travels in the WebSocket's URL
        for (var r : routes) if (String.valueOf(r.get("RouteKey")).startsWith("$")) assertEquals("NONE", r.get("AuthorizationType"));
        var defaultRoute = routes.stream().filter(r -> "$default".equals(r.get("RouteKey"))).findFirst().orElseThrow();
        assertEquals("$default", defaultRoute.get("RouteResponseSelectionExpression"), "$default answers the sender");
        assertTrue(Synthesised.properties(DEV_TEMPLATE, "AWS::ApiGatewayV2::Stage").stream()
                .anyMatch(s -> "live".equals(s.get("StageName"))));
        assertTrue(Synthesised.properties(DEV_TEMPLATE, "AWS::Lambda::Authorizer").isEmpty()
                && Synthesised.properties(DEV_TEMPLATE, "AWS::ApiGatewayV2::Authorizer").stream()
                .noneMatch(a -> "REQUEST".equals(a.get("AuthorizerType"))), "no token-checking authorizer");
    }
}
