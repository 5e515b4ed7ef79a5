package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV;
import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IotCoreTemplateTest {

    private static final StageNames NAMES = new StageNames("dev");

    @Test
    void theRuleWrapsEveryScanInTheDecidedEnvelopeKeyedByGateWithAnErrorAction() {
        var rules = Synthesised.properties(DEV_TEMPLATE, "AWS::IoT::TopicRule");
        assertEquals(List.of(NAMES.allowListRule(), NAMES.scansRule(), NAMES.statusRule()),
                rules.stream().map(r -> r.get("RuleName")).sorted().toList());
        Map<String, Object> rule = rule(NAMES.scansRule());
        Map<?, ?> payload = (Map<?, ?>) rule.get("TopicRulePayload");
        assertEquals("SELECT encode(*, 'base64') AS payload, topic(3) AS eventId, topic(5) AS gateId "
                + "FROM 'headcount/dev/+/gates/+/scans'", payload.get("Sql"));
        Map<?, ?> kinesis = (Map<?, ?>) ((Map<?, ?>) ((List<?>) payload.get("Actions")).get(0)).get("Kinesis");
        assertEquals("${topic(5)}", kinesis.get("PartitionKey"));
        assertEquals(Synthesised.resolved(DEV, DEV.streams().scans().getStreamName()), kinesis.get("StreamName"));
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) payload.get("ErrorAction")).get("Sqs");
        assertEquals(Synthesised.resolved(DEV, DEV.iotCore().scanRuleErrors().getQueueUrl()), error.get("QueueUrl"));
    }

    @Test
    void heartbeatsAreStoredAsTheFunctionsReadThemByARoleThatCanWriteNothingElse() throws Exception {
        Map<?, ?> payload = (Map<?, ?>) rule(NAMES.statusRule()).get("TopicRulePayload");
        String functionsSql;
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {Synthesised.REPOSITORY.functionsJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            functionsSql = (String) loader.loadClass("com.headcount.adapters.dynamodb.GateHeartbeatItems")
                    .getMethod("ruleSql", String.class).invoke(null, "dev");
        }
        assertEquals(functionsSql, payload.get("Sql"));
        assertTrue(String.valueOf(payload.get("Sql")).endsWith("FROM 'headcount/dev/+/gates/+/status'"),
                "only this stage's heartbeats: " + payload.get("Sql"));
        Map<?, ?> put = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) payload.get("Actions")).get(0)).get("DynamoDBv2")).get("PutItem");
        assertEquals(Synthesised.resolved(DEV, DEV.tables().statistics().getTableName()), put.get("TableName"));
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) payload.get("ErrorAction")).get("Sqs");
        assertEquals(Synthesised.resolved(DEV, DEV.iotCore().statusRuleErrors().getQueueUrl()), error.get("QueueUrl"),
                "heartbeats have an error queue of their own");
        String policies = Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy").toString();
        assertTrue(policies.contains("dynamodb:LeadingKeys=[EVENT#*]"), "only event partitions");
        assertTrue(policies.contains("dynamodb:Attributes=" + IotCore.STATUS_ATTRIBUTES), "only heartbeat attributes");
    }

    @Test
    void eachRuleRoleTrustsIotOnlyForThatRuleOfThisAccountAndReportsOnlyToItsOwnQueue() {
        for (HeadcountStack stack : List.of(DEV, Synthesised.PROD)) {
            var template = stack == DEV ? DEV_TEMPLATE : Synthesised.PROD_TEMPLATE;
            StageNames names = new StageNames(stack == DEV ? "dev" : "prod");
            var roles = Synthesised.resources(template, "AWS::IAM::Role");
            var policies = Synthesised.properties(template, "AWS::IAM::Policy");
            Map<String, Object> queues = Map.of(names.scansRule(), stack.iotCore().scanRuleErrors(),
                    names.statusRule(), stack.iotCore().statusRuleErrors());
            for (var rule : Synthesised.properties(template, "AWS::IoT::TopicRule")) {
                String ruleName = String.valueOf(rule.get("RuleName"));
                // the allow-list rule acts through a Lambda permission bound to it (AllowListsTemplateTest), no role
                if (ruleName.equals(names.allowListRule())) continue;
                Map<?, ?> payload = (Map<?, ?>) rule.get("TopicRulePayload");
                Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) payload.get("ErrorAction")).get("Sqs");
                String roleId = String.valueOf(((Map<?, ?>) error.get("RoleArn")).get("Fn::GetAtt")).replaceAll("^\\[|,.*$", "");
                Map<?, ?> trust = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) roles.get(roleId)).get("Properties")).get("AssumeRolePolicyDocument");
                List<?> statements = (List<?>) trust.get("Statement");
                assertEquals(1, statements.size());
                Map<?, ?> s = (Map<?, ?>) statements.get(0);
                assertEquals(Map.of("Service", "iot.amazonaws.com"), s.get("Principal"));
                Map<?, ?> condition = (Map<?, ?>) s.get("Condition");
                assertEquals(Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")), condition.get("StringEquals"), ruleName);
                String sourceArn = String.valueOf(((Map<?, ?>) condition.get("ArnEquals")).get("aws:SourceArn"));
                assertTrue(sourceArn.contains(":rule/" + ruleName + "]"), ruleName + ": " + sourceArn);
                // the role's only sqs:SendMessage is on this rule's own queue
                Object queueArn = stack.resolve(((software.amazon.awscdk.services.sqs.Queue) queues.get(ruleName)).getQueueArn());
                assertEquals(stack.resolve(((software.amazon.awscdk.services.sqs.Queue) queues.get(ruleName)).getQueueUrl()),
                        error.get("QueueUrl"), ruleName);
                List<Object> sendsTo = new ArrayList<>();
                for (var p : policies) {
                    if (!p.get("Roles").equals(List.of(Map.of("Ref", roleId)))) continue;
                    for (Object st : (List<?>) ((Map<?, ?>) p.get("PolicyDocument")).get("Statement")) {
                        if ("sqs:SendMessage".equals(((Map<?, ?>) st).get("Action"))) sendsTo.add(((Map<?, ?>) st).get("Resource"));
                    }
                }
                assertEquals(List.of(queueArn), sendsTo, ruleName);
            }
        }
    }

    private static Map<String, Object> rule(String name) {
        return Synthesised.properties(DEV_TEMPLATE, "AWS::IoT::TopicRule").stream()
                .filter(r -> name.equals(r.get("RuleName"))).findFirst().orElseThrow();
    }

    @Test
    void aGateActsOnlyAsItselfWhateverTopicItTries() {
        Policy policy = Policy.of(Synthesised.properties(DEV_TEMPLATE, "AWS::IoT::Policy").get(0));
        Map<String, String> north = Map.of("ThingName", "t-north", "eventId", "gala", "gateId", "north");
        String rule = NAMES.basicIngestPrefix();

        assertTrue(policy.allows("iot:Connect", "client/t-north", north));
        assertFalse(policy.allows("iot:Connect", "client/t-south", north), "connect as another thing");
        assertTrue(policy.connectRequiresAttachedThing());

        assertTrue(policy.allows("iot:Publish", "topic/" + rule + "headcount/dev/gala/gates/north/scans", north));
        assertTrue(policy.allows("iot:Publish", "topic/headcount/dev/gala/gates/north/status", north));
        for (String other : List.of(
                "topic/" + rule + "headcount/dev/gala/gates/south/scans",   // another gate
                "topic/" + rule + "headcount/dev/gig/gates/north/scans",    // another event
                "topic/headcount/dev/gala/gates/north/scans",               // past Basic Ingest, through the broker
                "topic/headcount/dev/gala/gates/south/status",
                "topic/headcount/dev/gala/gates/north/decisions")) {        // pretending to be ingest
            assertFalse(policy.allows("iot:Publish", other, north), other);
        }
        assertTrue(policy.allows("iot:Subscribe", "topicfilter/headcount/dev/gala/gates/north/decisions", north));
        assertTrue(policy.allows("iot:Receive", "topic/headcount/dev/gala/gates/north/decisions", north));
        assertFalse(policy.allows("iot:Subscribe", "topicfilter/headcount/dev/gala/gates/+/decisions", north));
        assertFalse(policy.allows("iot:Subscribe", "topicfilter/headcount/dev/gala/gates/south/decisions", north));
        assertFalse(policy.allows("iot:Receive", "topic/headcount/dev/gala/gates/south/decisions", north));
        assertEquals(4, policy.statements.size(), "connect, publish, subscribe, receive and nothing else");
    }

    /**
     * Issue 19 point 7: stages share an account's one broker, so every topic names its stage. A dev gate with prod's
     * event and gate ids publishes where prod's rules never read and hears nothing prod's ingest says.
     */
    @Test
    void everyTopicCarriesItsStageSoStagesInOneAccountNeverMix() throws Exception {
        StageNames prod = new StageNames("prod");
        Map<String, String> north = Map.of("ThingName", "t-north", "eventId", "gala", "gateId", "north");
        Policy devPolicy = Policy.of(Synthesised.properties(DEV_TEMPLATE, "AWS::IoT::Policy").get(0));
        Policy prodPolicy = Policy.of(Synthesised.properties(Synthesised.PROD_TEMPLATE, "AWS::IoT::Policy").get(0));
        for (String kind : List.of("status", "decisions")) {
            assertEquals("headcount/prod/gala/gates/north/" + kind, prod.gateTopic("gala", "north", kind));
        }
        assertTrue(prodPolicy.allows("iot:Publish", "topic/" + prod.basicIngestPrefix() + "headcount/prod/gala/gates/north/scans", north));
        assertTrue(prodPolicy.allows("iot:Publish", "topic/headcount/prod/gala/gates/north/status", north));
        assertTrue(prodPolicy.allows("iot:Subscribe", "topicfilter/headcount/prod/gala/gates/north/decisions", north));
        for (String prodTopic : List.of("topic/" + prod.basicIngestPrefix() + "headcount/prod/gala/gates/north/scans",
                "topic/" + NAMES.basicIngestPrefix() + "headcount/prod/gala/gates/north/scans",
                "topic/headcount/prod/gala/gates/north/status")) {
            assertFalse(devPolicy.allows("iot:Publish", prodTopic, north), "a dev gate publishing as prod: " + prodTopic);
        }
        assertFalse(devPolicy.allows("iot:Subscribe", "topicfilter/headcount/prod/gala/gates/north/decisions", north));
        assertFalse(devPolicy.allows("iot:Receive", "topic/headcount/prod/gala/gates/north/decisions", north));

        for (var stage : List.of(Map.entry(DEV_TEMPLATE, NAMES), Map.entry(Synthesised.PROD_TEMPLATE, prod))) {
            String s = stage.getValue().stage();
            var rules = Synthesised.properties(stage.getKey(), "AWS::IoT::TopicRule");
            for (var rule : rules) {
                String sql = String.valueOf(((Map<?, ?>) rule.get("TopicRulePayload")).get("Sql"));
                assertTrue(sql.matches(".* FROM 'headcount/" + s + "/\\+/gates/\\+/(scans|status|allowlist/get)'"), s + ": " + sql);
            }
            // ingest may tell only its own stage's gates
            String publish = Synthesised.properties(stage.getKey(), "AWS::IAM::Policy").stream()
                    .flatMap(p -> ((List<?>) ((Map<?, ?>) p.get("PolicyDocument")).get("Statement")).stream())
                    .map(st -> (Map<?, ?>) st).filter(st -> "iot:Publish".equals(st.get("Action")))
                    .map(st -> String.valueOf(st.get("Resource"))).reduce("", String::concat);
            assertTrue(publish.contains(":topic/headcount/" + s + "/*/gates/*/decisions"), s + ": " + publish);
        }
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {Synthesised.REPOSITORY.functionsJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Object scansSql = loader.loadClass("com.headcount.core.scan.GateMessage").getMethod("ruleSql", String.class)
                    .invoke(null, "dev");
            assertEquals(IotCore.scansSql(NAMES), scansSql, "the functions read the envelope the rule writes");
        }
    }

    /** The gate policy as IoT reads it: policy variables from the connecting thing, '*' matching anything. */
    private record Policy(List<Map<?, ?>> statements) {

        static Policy of(Map<String, Object> properties) {
            List<Map<?, ?>> statements = new ArrayList<>();
            for (Object s : (List<?>) ((Map<?, ?>) properties.get("PolicyDocument")).get("Statement")) statements.add((Map<?, ?>) s);
            return new Policy(statements);
        }

        boolean allows(String action, String resource, Map<String, String> thing) {
            for (Map<?, ?> s : statements) {
                if (!"Allow".equals(s.get("Effect")) || !action.equals(s.get("Action"))) continue;
                for (Object r : (List<?>) s.get("Resource")) {
                    String arn = flatten(r);
                    String pattern = arn.substring(arn.indexOf(":iot:REGION:ACCOUNT:") + ":iot:REGION:ACCOUNT:".length());
                    pattern = pattern.replace("${iot:Connection.Thing.ThingName}", thing.get("ThingName"))
                            .replace("${iot:Connection.Thing.Attributes[eventId]}", thing.get("eventId"))
                            .replace("${iot:Connection.Thing.Attributes[gateId]}", thing.get("gateId"));
                    if (Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q")).matcher(resource).matches()) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean connectRequiresAttachedThing() {
            return statements.stream().filter(s -> "iot:Connect".equals(s.get("Action")))
                    .allMatch(s -> String.valueOf(s.get("Condition")).contains("iot:Connection.Thing.IsAttached=true"));
        }

        /** An ARN as CloudFormation joins it, with the pseudo parameters named. */
        private static String flatten(Object arn) {
            if (arn instanceof String s) return s;
            Map<?, ?> join = (Map<?, ?>) arn;
            List<?> parts = (List<?>) ((List<?>) join.get("Fn::Join")).get(1);
            StringBuilder b = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof String s) {
                    b.append(s);
                } else {
                    String ref = String.valueOf(((Map<?, ?>) part).get("Ref"));
                    b.append(switch (ref) {
                        case "AWS::Region" -> "REGION";
                        case "AWS::AccountId" -> "ACCOUNT";
                        case "AWS::Partition" -> "aws";
                        default -> throw new AssertionError("unexpected reference in the gate policy: " + ref);
                    });
                }
            }
            return b.toString();
        }
    }
}
