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
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** Least privilege, read off the synthesised policies. */
class AccessTemplateTest {

    @Test
    void noStatementAllowsAWildcardAction() {
        for (Template template : List.of(DEV_TEMPLATE, PROD_TEMPLATE)) {
            for (Map<?, ?> s : statements(template)) {
                for (Object action : asList(s.get("Action"))) {
                    assertFalse(String.valueOf(action).contains("*"), "wildcard action " + action + " in " + s);
                }
            }
        }
    }

    @Test
    void onlyTheBroadcasterMayPostToDashboardConnections() {
        for (HeadcountStack stack : List.of(DEV, PROD)) {
            List<Object> holders = new ArrayList<>();
            for (var policy : Synthesised.properties(stack == DEV ? DEV_TEMPLATE : PROD_TEMPLATE, "AWS::IAM::Policy")) {
                for (Map<?, ?> s : statements(policy)) {
                    if (asList(s.get("Action")).contains("execute-api:ManageConnections")) holders.add(policy.get("Roles"));
                }
            }
            assertEquals(List.of(List.of(Map.of("Ref", Synthesised.logicalId(stack.broadcast().function().function().getRole())))),
                    holders);
        }
    }

    @Test
    void ingestMayDoExactlyWhatItDoes() {
        Map<String, List<Object>> granted = new java.util.TreeMap<>();
        String role = Synthesised.logicalId(DEV.ingest().function().function().getRole());
        for (var policy : Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy")) {
            if (!policy.get("Roles").equals(List.of(Map.of("Ref", role)))) continue;
            for (Map<?, ?> s : statements(policy)) {
                for (Object action : asList(s.get("Action"))) {
                    granted.computeIfAbsent(String.valueOf(action), a -> new ArrayList<>()).addAll(asList(s.get("Resource")));
                }
            }
        }
        assertEquals(List.of("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:PutItem",
                "dynamodb:UpdateItem", "iot:Publish", "kinesis:DescribeStream", "kinesis:DescribeStreamConsumer",
                "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards",
                "kinesis:ListStreams", "kinesis:PutRecords", "kinesis:SubscribeToShard", "logs:CreateLogStream",
                "logs:PutLogEvents", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
                List.copyOf(granted.keySet()));
        assertEquals(List.of(DEV.resolve(DEV.streams().attendanceRecorded().getStreamArn())), granted.get("kinesis:PutRecords"));
        assertEquals(List.of(DEV.resolve(DEV.streams().scans().getStreamArn())), granted.get("kinesis:GetRecords"));
        assertEquals(List.of(DEV.resolve(DEV.tables().dedupWindows().getTableArn()), DEV.resolve(DEV.tables().scans().getTableArn())),
                granted.get("dynamodb:PutItem"));
        assertTrue(String.valueOf(granted.get("iot:Publish")).contains("topic/headcount/dev/*/gates/*/decisions"));
        assertEquals(1, granted.get("iot:Publish").size());
    }

    @Test
    void theApiQueriesTheLogByItsTwoIndexesOnly() {
        String role = Synthesised.logicalId(DEV.apiFunction().function().function().getRole());
        List<Object> queried = new ArrayList<>();
        for (var policy : Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy")) {
            if (!policy.get("Roles").equals(List.of(Map.of("Ref", role)))) continue;
            for (Map<?, ?> s : statements(policy)) {
                if (asList(s.get("Action")).contains("dynamodb:Query")) queried.addAll(asList(s.get("Resource")));
            }
        }
        String all = String.valueOf(queried);
        assertTrue(all.contains("/index/byParticipant") && all.contains("/index/byGate"), all);
        assertFalse(all.contains("index/*"), all);
    }

    private static List<Map<?, ?>> statements(Template template) {
        List<Map<?, ?>> all = new ArrayList<>();
        for (var p : Synthesised.properties(template, "AWS::IAM::Policy")) all.addAll(statements(p));
        for (var r : Synthesised.properties(template, "AWS::IAM::Role")) {
            for (Object inline : asList(r.get("Policies"))) all.addAll(statements((Map<?, ?>) inline));
        }
        return all;
    }

    private static List<Map<?, ?>> statements(Map<?, ?> policy) {
        List<Map<?, ?>> all = new ArrayList<>();
        for (Object s : asList(((Map<?, ?>) policy.get("PolicyDocument")).get("Statement"))) all.add((Map<?, ?>) s);
        return all;
    }

    private static List<Object> asList(Object value) {
        if (value == null) return List.of();
        if (value instanceof List<?> list) return new ArrayList<>(list);
        return List.of(value);
    }
}
