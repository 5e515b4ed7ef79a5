package com.headcount.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iot.CfnPolicy;
import software.amazon.awscdk.services.iot.CfnThingType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iot.CfnTopicRule;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * AWS IoT Core: the gates' thing type, the one policy every gate's certificate carries, and the topic rule that puts
 * scans on the {@code scans} stream. The policy speaks only in the connecting thing's own name and attributes, so a
 * gate can act only as itself: connect as its thing, publish its own scans (through Basic Ingest: no messaging
 * charge) and heartbeats, and hear only its own decisions. Every topic, in the policy and in the rules, carries the
 * stage ({@link StageNames#gateTopic}), so stages sharing an account never hear each other's gates.
 */
public final class IotCore extends Construct {

    /**
     * The envelope every `scans` record carries, from the stage's own scans topics only; the functions'
     * {@code GateMessage.ruleSql} is the same text (a test compares them) and the local rule bridge does the same.
     */
    public static String scansSql(StageNames names) {
        return "SELECT encode(*, 'base64') AS payload, topic(3) AS eventId, topic(5) AS gateId "
                + "FROM '" + names.gateTopic("+", "+", "scans") + "'";
    }

    /**
     * Gates' heartbeats (and the last will the broker publishes for a gate it lost) into the statistics table, one
     * item per gate replaced each time, from the stage's own status topics only; the functions'
     * {@code GateHeartbeatItems.ruleSql} is the same text (a test compares them) and the local broker's status rule
     * does the same.
     */
    public static String statusSql(StageNames names) {
        return "SELECT concat('EVENT#', topic(3)) AS pk, concat('HEARTBEAT#', topic(5)) AS sk, "
                + "topic(3) AS eventId, topic(5) AS gateId, timestamp() AS receivedAt, sentAt, connected, queueLength, "
                + "oldestQueuedAt, version, allowListAgeSeconds, allowListVersion FROM '" + names.gateTopic("+", "+", "status") + "'";
    }

    /** What a heartbeat item may hold: the rule's role can write nothing else. */
    static final List<String> STATUS_ATTRIBUTES = List.of("pk", "sk", "eventId", "gateId", "receivedAt", "sentAt",
            "connected", "queueLength", "oldestQueuedAt", "version", "allowListAgeSeconds", "allowListVersion");
    public static final String EVENT_ATTRIBUTE = "eventId";
    public static final String GATE_ATTRIBUTE = "gateId";

    private static final String EVENT = "${iot:Connection.Thing.Attributes[" + EVENT_ATTRIBUTE + "]}";
    private static final String GATE = "${iot:Connection.Thing.Attributes[" + GATE_ATTRIBUTE + "]}";

    private final StageNames names;
    private final Queue scanRuleErrors;
    private final Queue statusRuleErrors;
    private final CfnTopicRule scansRule;
    private final CfnTopicRule statusRule;

    public IotCore(Construct scope, String id, StageNames names, Stream scans, Table statistics, boolean production) {
        super(scope, id);
        this.names = names;
        CfnThingType.Builder.create(this, "GateThingType")
                .thingTypeName(names.thingType())
                .thingTypeProperties(CfnThingType.ThingTypePropertiesProperty.builder()
                        .thingTypeDescription("A Headcount gate: BLE reader, QR scanner or staff phone")
                        .searchableAttributes(List.of(EVENT_ATTRIBUTE, GATE_ATTRIBUTE))
                        .build())
                .build();

        CfnPolicy.Builder.create(this, "GatePolicy")
                .policyName(names.gatePolicy())
                .policyDocument(Map.of("Version", "2012-10-17", "Statement", List.of(
                        statement("iot:Connect", List.of(arn("client", "${iot:Connection.Thing.ThingName}")),
                                Map.of("Bool", Map.of("iot:Connection.Thing.IsAttached", "true"))),
                        // its own allow-list request; the answer to it alone, and its own event's deltas
                        statement("iot:Publish", List.of(
                                arn("topic", names.basicIngestPrefix() + names.gateTopic(EVENT, GATE, "scans")),
                                arn("topic", names.gateTopic(EVENT, GATE, "status")),
                                arn("topic", names.gateTopic(EVENT, GATE, "allowlist/get"))), null),
                        statement("iot:Subscribe", List.of(arn("topicfilter", names.gateTopic(EVENT, GATE, "decisions")),
                                arn("topicfilter", names.gateTopic(EVENT, GATE, "allowlist")),
                                arn("topicfilter", names.eventTopic(EVENT, "allowlist/deltas"))), null),
                        statement("iot:Receive", List.of(arn("topic", names.gateTopic(EVENT, GATE, "decisions")),
                                arn("topic", names.gateTopic(EVENT, GATE, "allowlist")),
                                arn("topic", names.eventTopic(EVENT, "allowlist/deltas"))), null))))
                .build();

        // one queue per rule: what lands in each is replayed (scans) or dropped (heartbeats) by a runbook of its own
        scanRuleErrors = Environment.failureQueue(this, "RuleErrors",
                "the scans rule's error action, it keeps each scan the rule could not put on the stream", production);
        statusRuleErrors = Environment.failureQueue(this, "StatusRuleErrors",
                "the status rule's error action, it keeps each heartbeat the rule could not store", production);
        Role ruleRole = ruleRole("ScansRuleRole", names.scansRule(),
                "The scans topic rule: put on the scans stream, or report the failure");
        ruleRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:PutRecord")).resources(List.of(scans.getStreamArn())).build());
        ruleRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:SendMessage")).resources(List.of(scanRuleErrors.getQueueArn())).build());
        scansRule = CfnTopicRule.Builder.create(this, "ScansRule")
                .ruleName(names.scansRule())
                .topicRulePayload(CfnTopicRule.TopicRulePayloadProperty.builder()
                        .sql(scansSql(names))
                        .awsIotSqlVersion("2016-03-23")
                        .ruleDisabled(false)
                        .description("Gate scans (Basic Ingest) onto the scans stream, keyed by gate")
                        .actions(List.of(CfnTopicRule.ActionProperty.builder()
                                .kinesis(CfnTopicRule.KinesisActionProperty.builder()
                                        .streamName(scans.getStreamName())
                                        .partitionKey("${topic(5)}")
                                        .roleArn(ruleRole.getRoleArn())
                                        .build())
                                .build()))
                        // a scan the rule could not put is kept here with the error, for the on-failure runbook
                        .errorAction(CfnTopicRule.ActionProperty.builder()
                                .sqs(CfnTopicRule.SqsActionProperty.builder()
                                        .queueUrl(scanRuleErrors.getQueueUrl())
                                        .roleArn(ruleRole.getRoleArn())
                                        .useBase64(false)
                                        .build())
                                .build())
                        .build())
                .build();
        scansRule.getNode().addDependency(ruleRole);

        Role statusRole = ruleRole("StatusRuleRole", names.statusRule(),
                "The status topic rule: store each gate's last heartbeat, or report the failure");
        // heartbeat items only: event partitions, heartbeat attributes (an aggregate item could not be written whole)
        statusRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:PutItem")).resources(List.of(statistics.getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("EVENT#*")),
                        "ForAllValues:StringEquals", Map.of("dynamodb:Attributes", STATUS_ATTRIBUTES)))
                .build());
        statusRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:SendMessage")).resources(List.of(statusRuleErrors.getQueueArn())).build());
        statusRule = CfnTopicRule.Builder.create(this, "StatusRule")
                .ruleName(names.statusRule())
                .topicRulePayload(CfnTopicRule.TopicRulePayloadProperty.builder()
                        .sql(statusSql(names))
                        .awsIotSqlVersion("2016-03-23")
                        .ruleDisabled(false)
                        .description("Gate heartbeats into the statistics table (per-gate health, gate_offline)")
                        .actions(List.of(CfnTopicRule.ActionProperty.builder()
                                .dynamoDBv2(CfnTopicRule.DynamoDBv2ActionProperty.builder()
                                        .putItem(CfnTopicRule.PutItemInputProperty.builder()
                                                .tableName(statistics.getTableName()).build())
                                        .roleArn(statusRole.getRoleArn())
                                        .build())
                                .build()))
                        .errorAction(CfnTopicRule.ActionProperty.builder()
                                .sqs(CfnTopicRule.SqsActionProperty.builder()
                                        .queueUrl(statusRuleErrors.getQueueUrl())
                                        .roleArn(statusRole.getRoleArn())
                                        .useBase64(false)
                                        .build())
                                .build())
                        .build())
                .build();
        statusRule.getNode().addDependency(statusRole);
    }

    /**
     * A role only IoT may assume, and only on behalf of this account's rule of that name: without the source
     * conditions any rule in any account that learnt the role's ARN could have IoT act with it (confused deputy).
     */
    private Role ruleRole(String id, String ruleName, String description) {
        Stack stack = Stack.of(this);
        String ruleArn = stack.formatArn(ArnComponents.builder().service("iot").resource("rule").resourceName(ruleName)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
        return Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("iot.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnEquals", Map.of("aws:SourceArn", ruleArn))))
                .description(description)
                .build();
    }

    private static Map<String, Object> statement(String action, List<String> resources, Map<String, Object> condition) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Effect", "Allow");
        s.put("Action", action);
        s.put("Resource", resources);
        if (condition != null) s.put("Condition", condition);
        return s;
    }

    private String arn(String type, String name) {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("iot").resource(type).resourceName(name).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    /** Where ingest publishes decisions: every gate's decisions topic of this stage and nothing else. */
    public String decisionsTopics() {
        return arn("topic", names.gateTopic("*", "*", "decisions"));
    }

    /** Scans the scans rule could not put on the stream. */
    public Queue scanRuleErrors() {
        return scanRuleErrors;
    }

    /** Heartbeats the status rule could not store. */
    public Queue statusRuleErrors() {
        return statusRuleErrors;
    }

    public CfnTopicRule scansRule() {
        return scansRule;
    }

    public CfnTopicRule statusRule() {
        return statusRule;
    }
}
