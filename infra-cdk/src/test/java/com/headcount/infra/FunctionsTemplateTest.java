package com.headcount.infra;

import static com.headcount.infra.Synthesised.DEV;
import static com.headcount.infra.Synthesised.DEV_TEMPLATE;
import static com.headcount.infra.Synthesised.PROD;
import static com.headcount.infra.Synthesised.PROD_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.lambda.EventSourceMapping;

class FunctionsTemplateTest {

    @Test
    void everyFunctionOfOursIsJava21OnArm64WithSnapStartAndTheRealJar() throws Exception {
        for (HeadcountStack stack : List.of(DEV, PROD)) {
            var functions = Synthesised.properties(stack == DEV ? DEV_TEMPLATE : PROD_TEMPLATE, "AWS::Lambda::Function")
                    .stream().filter(f -> String.valueOf(f.get("Handler")).startsWith("com.headcount.handlers.")).toList();
            assertEquals(11, functions.size(), "ingest, stats, statistics clock, alert delivery, api, publish retry,"
                    + " 3 WebSocket routes, broadcast, allow-list");
            for (var f : functions) {
                assertEquals("java21", f.get("Runtime"));
                assertEquals(List.of("arm64"), f.get("Architectures"));
                assertEquals(Map.of("ApplyOn", "PublishedVersions"), f.get("SnapStart"));
                String key = String.valueOf(((Map<?, ?>) f.get("Code")).get("S3Key"));
                assertTrue(key.endsWith(".jar"), key);
            }
        }
        Path jar = Synthesised.REPOSITORY.functionsJar();
        Path outdir = Path.of(software.amazon.awscdk.Stage.of(DEV).getOutdir());
        try (var staged = Files.list(outdir)) {
            List<Path> jars = staged.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
            assertEquals(1, jars.size(), "one asset, shared by every function");
            assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(jars.get(0)), "the asset is the shaded functions jar");
        }
    }

    @Test
    void memoryIsBoughtForCpuWhereSomeoneWaits() {
        Map<String, Integer> expected = new java.util.HashMap<>(Map.of("IngestFunction", 1024, "StatsFunction", 1024,
                "ApiFunction", 1024, "BroadcastFunction", 1024, "StatsClockFunction", 512, "PublishRetryFunction", 512,
                "AlertDeliveryFunction", 512, "DashboardConnectFunction", 512, "DashboardDisconnectFunction", 512,
                "DashboardMessageFunction", 512));
        // a gate waits for its answer, and a list of 100 000 is built and compressed here when none is current
        expected.put("AllowListFunction", 1024);
        var functions = Synthesised.properties(DEV_TEMPLATE, "AWS::Lambda::Function").stream()
                .filter(f -> String.valueOf(f.get("Handler")).startsWith("com.headcount.handlers.")).toList();
        assertEquals(expected.size(), functions.size());
        for (var f : functions) {
            String handler = String.valueOf(f.get("Handler"));
            String name = handler.substring("com.headcount.handlers.".length()).split("::")[0];
            assertEquals(expected.get(name), f.get("MemorySize"), handler);
        }
    }

    @Test
    void ingestAndStatisticsHaveInstancesReservedAndTheApisAreCappedWithinWhatAnAccountHas() {
        Map<String, Integer> expected = Map.of("IngestFunction", 10, "StatsFunction", 10, "ApiFunction", 50,
                "DashboardConnectFunction", 10, "DashboardDisconnectFunction", 10, "DashboardMessageFunction", 10);
        for (var template : List.of(DEV_TEMPLATE, PROD_TEMPLATE)) {
            int reserved = 0;
            for (var f : Synthesised.properties(template, "AWS::Lambda::Function")) {
                String handler = String.valueOf(f.get("Handler"));
                if (!handler.startsWith("com.headcount.handlers.")) continue;
                String name = handler.substring("com.headcount.handlers.".length()).split("::")[0];
                // the scheduled functions, alert delivery and the broadcaster stay in the shared pool
                assertEquals(expected.get(name), f.get("ReservedConcurrentExecutions"), handler);
                if (expected.containsKey(name)) reserved += (Integer) f.get("ReservedConcurrentExecutions");
            }
            assertEquals(StageSettings.defaults().concurrency().reserved(), reserved);
            assertEquals(100, reserved, "README, what an account needs: 100 reserved, so 200 in the account");
            // an account with Lambda's default of 1 000 keeps more than the 100 unreserved it must
            assertTrue(1000 - reserved >= StageSettings.Concurrency.UNRESERVED_MINIMUM, "reserved " + reserved);
        }
    }

    @Test
    void aReservationOfZeroLeavesTheFunctionInTheSharedPoolRatherThanStoppingIt() {
        var none = StageSettings.from(Map.<String, Object>of("ingestConcurrency", "0")::get);
        assertEquals(0, none.concurrency().ingest());
        var app = new software.amazon.awscdk.App();
        var stack = new software.amazon.awscdk.Stack(app, "Zero");
        var f = new JavaFunction(stack, "F", Synthesised.REPOSITORY.functionsJar(), "com.headcount.handlers.IngestFunction",
                512, software.amazon.awscdk.Duration.seconds(5), Map.of(), false);
        f.reserveConcurrency(none.concurrency().ingest());
        var props = Synthesised.properties(software.amazon.awscdk.assertions.Template.fromStack(stack), "AWS::Lambda::Function");
        assertNull(props.get(0).get("ReservedConcurrentExecutions"));
    }

    @Test
    void everyTriggerRunsTheLiveAliasOfAPublishedVersion() {
        var aliases = Synthesised.resources(DEV_TEMPLATE, "AWS::Lambda::Alias");
        assertEquals(11, aliases.size());
        for (var a : Synthesised.properties(DEV_TEMPLATE, "AWS::Lambda::Alias")) {
            assertEquals("live", a.get("Name"));
            assertTrue(String.valueOf(a.get("FunctionVersion")).contains("Fn::GetAtt"), "a published version");
        }
        for (var m : Synthesised.properties(DEV_TEMPLATE, "AWS::Lambda::EventSourceMapping")) {
            String target = String.valueOf(m.get("FunctionName"));
            assertTrue(target.endsWith(":live]]}") && aliases.keySet().stream().anyMatch(id -> target.contains("Ref=" + id + "}")),
                    "mapping on the alias: " + target);
        }
        for (var p : Synthesised.properties(DEV_TEMPLATE, "AWS::ApiGatewayV2::Integration")) {
            assertTrue(String.valueOf(p.get("IntegrationUri")).contains("Ref="), "integration on the alias");
        }
    }

    @Test
    void ingestIsBatchedBisectedRetriedAFewTimesThenParkedInItsQueue() {
        Map<String, Object> m = mapping(DEV, DEV.ingest().mapping());
        assertEquals(1000, m.get("BatchSize"));
        assertEquals(0, m.get("MaximumBatchingWindowInSeconds"));
        assertEquals(List.of("ReportBatchItemFailures"), m.get("FunctionResponseTypes"));
        assertEquals(true, m.get("BisectBatchOnFunctionError"));
        assertEquals(10, m.get("MaximumRetryAttempts"));
        assertEquals(6 * 3600, m.get("MaximumRecordAgeInSeconds"));
        assertEquals(1, m.get("ParallelizationFactor"));
        assertEquals("TRIM_HORIZON", m.get("StartingPosition"));
        assertEquals(Map.of("OnFailure", Map.of("Destination", DEV.resolve(DEV.ingest().onFailure().getQueueArn()))),
                m.get("DestinationConfig"));
        assertEquals(DEV.resolve(DEV.streams().scans().getStreamArn()), m.get("EventSourceArn"));
    }

    @Test
    void ingestReadsThroughItsOwnConsumerWhenEnhancedFanOutIsOn() {
        Map<String, Object> m = mapping(PROD, PROD.ingest().mapping());
        var consumers = Synthesised.resources(PROD_TEMPLATE, "AWS::Kinesis::StreamConsumer");
        assertEquals(1, consumers.size());
        String consumer = consumers.keySet().iterator().next();
        assertTrue(String.valueOf(m.get("EventSourceArn")).contains(consumer), String.valueOf(m.get("EventSourceArn")));
    }

    @Test
    void statisticsAreExactlyAsStatisticsMdRequires() {
        for (HeadcountStack stack : List.of(DEV, PROD)) {
            Map<String, Object> m = mapping(stack, stack.stats().mapping());
            assertEquals(1, m.get("ParallelizationFactor"));
            assertEquals(-1, m.get("MaximumRetryAttempts"));
            assertEquals(-1, m.get("MaximumRecordAgeInSeconds"));
            assertEquals(true, m.get("BisectBatchOnFunctionError"));
            assertNull(m.get("DestinationConfig"), "nothing is ever given up, so nowhere to send it");
            assertEquals("TRIM_HORIZON", m.get("StartingPosition"));
            assertEquals(1, m.get("MaximumBatchingWindowInSeconds"), "as the local stack batches it");
            assertEquals(stack.resolve(stack.streams().attendanceRecorded().getStreamArn()), m.get("EventSourceArn"));
        }
    }

    @Test
    void functionsAreToldWhereTheirTablesStreamsAndGatesAre() {
        Map<String, Object> ingest = function(DEV, DEV.ingest().function());
        Map<?, ?> env = (Map<?, ?>) ((Map<?, ?>) ingest.get("Environment")).get("Variables");
        assertEquals(DEV.resolve(DEV.tables().dedupWindows().getTableName()), env.get("WINDOWS_TABLE"));
        assertEquals(DEV.resolve(DEV.streams().attendanceRecorded().getStreamName()), env.get("ATTENDANCE_RECORDED_STREAM"));
        assertTrue(String.valueOf(env.get("IOT_DATA_ENDPOINT")).contains("https://"), "decisions go back to gates");
        assertEquals("dev", env.get("HEADCOUNT_STAGE"), "decisions go to this stage's gates only");
        Map<?, ?> stats = (Map<?, ?>) ((Map<?, ?>) function(DEV, DEV.stats().function()).get("Environment")).get("Variables");
        assertEquals(DEV.resolve(DEV.tables().statistics().getTableName()), stats.get("STATISTICS_TABLE"));
        assertFalse(stats.containsKey("ALERTS_EVENT_BUS"), "counting never talks to an integration");
        Map<?, ?> delivery = (Map<?, ?>) ((Map<?, ?>) function(DEV, DEV.alertDelivery().function()).get("Environment"))
                .get("Variables");
        assertFalse(String.valueOf(delivery.get("ALERTS_EVENT_BUS")).isBlank());
    }

    @Test
    void alertsAreDeliveredApartFromCountingAndOnlyTheDelivererMayPutEvents() throws Exception {
        Map<String, Object> m = mapping(DEV, DEV.alertDelivery().mapping());
        assertEquals(DEV.resolve(DEV.streams().statisticsUpdates().getStreamArn()), m.get("EventSourceArn"));
        var filters = (List<?>) ((Map<?, ?>) m.get("FilterCriteria")).get("Filters");
        String alertRaised;
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {Synthesised.REPOSITORY.functionsJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            alertRaised = (String) loader.loadClass("com.headcount.core.messages.MessageTypes").getField("ALERT_RAISED").get(null);
        }
        assertEquals(List.of("{\"data\":{\"type\":[\"" + alertRaised + "\"]}}"),
                filters.stream().map(f -> String.valueOf(((Map<?, ?>) f).get("Pattern")).replace(" ", "")).toList());
        assertEquals(true, m.get("BisectBatchOnFunctionError"));
        assertEquals(Map.of("OnFailure", Map.of("Destination", DEV.resolve(DEV.alertDelivery().onFailure().getQueueArn()))),
                m.get("DestinationConfig"), "a range whose failures could not even be recorded lands in a queue");
        var putEvents = Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy").stream()
                .filter(p -> String.valueOf(p.get("PolicyDocument")).contains("events:PutEvents")).toList();
        assertEquals(1, putEvents.size(), "only the deliverer talks to the bus");
        assertTrue(String.valueOf(putEvents.get(0).get("Roles")).contains("AlertDelivery"), String.valueOf(putEvents.get(0).get("Roles")));
        assertTrue(String.valueOf(putEvents.get(0).get("PolicyDocument")).contains("DELIVERY#*"),
                "it writes only its failure records into the statistics table");
    }

    @Test
    void theStatisticsClockAndThePublishRetryRunEveryMinute() {
        for (var template : List.of(DEV_TEMPLATE, PROD_TEMPLATE)) {
            var rules = Synthesised.properties(template, "AWS::Events::Rule");
            assertEquals(2, rules.size(), "the clock and the publish retry");
            rules.forEach(r -> assertEquals("rate(1 minute)", r.get("ScheduleExpression")));
        }
        var clockPolicies = Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy").stream()
                .filter(p -> String.valueOf(p.get("Roles")).contains("ClockStatsClock")).toList();
        assertEquals(1, clockPolicies.size());
        String statements = String.valueOf(((Map<?, ?>) clockPolicies.get(0).get("PolicyDocument")).get("Statement"));
        assertTrue(statements.contains("/index/byStatsWindow"), "the clock lists running events by their index: " + statements);
    }

    @Test
    void aScheduledRunThatFailsIsNeverRetriedByLambdaNorRunLate() {
        for (HeadcountStack stack : List.of(DEV, PROD)) {
            var template = stack == DEV ? DEV_TEMPLATE : PROD_TEMPLATE;
            var configs = Synthesised.properties(template, "AWS::Lambda::EventInvokeConfig");
            List<JavaFunction> scheduled = List.of(stack.statsClock().function(), stack.publishRetry().function());
            assertEquals(scheduled.size(), configs.size(), "one per scheduled function: " + configs);
            for (var c : configs) {
                JavaFunction f = scheduled.stream().filter(s -> stack.resolve(s.function().getFunctionName())
                        .equals(c.get("FunctionName"))).findFirst().orElseThrow(() -> new AssertionError(c));
                // the alias's name, taken from its ARN: so the configuration also waits for the alias to exist
                assertTrue(String.valueOf(c.get("Qualifier")).contains("Ref=" + Synthesised.logicalId(f.alias()) + "}"),
                        "on the alias the schedule invokes: " + c.get("Qualifier"));
                assertEquals(0, c.get("MaximumRetryAttempts"));
                assertEquals(60, c.get("MaximumEventAgeInSeconds"));
            }
            for (var rule : Synthesised.properties(template, "AWS::Events::Rule")) {
                for (Object target : (List<?>) rule.get("Targets")) {
                    assertEquals(Map.of("MaximumRetryAttempts", 0), ((Map<?, ?>) target).get("RetryPolicy"));
                }
            }
        }
    }

    @Test
    void publishRetryMayReadOnlyTheUnpublishedIndexAndClearTheNote() {
        var policies = Synthesised.properties(DEV_TEMPLATE, "AWS::IAM::Policy").stream()
                .filter(p -> String.valueOf(p.get("Roles")).contains("PublishRetry")).toList();
        assertEquals(1, policies.size());
        String statements = String.valueOf(((Map<?, ?>) policies.get(0).get("PolicyDocument")).get("Statement"));
        assertTrue(statements.contains("dynamodb:Query") && statements.contains("/index/byUnpublished"), statements);
        assertFalse(statements.contains("byParticipant") || statements.contains("dynamodb:PutItem"), statements);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapping(HeadcountStack stack, EventSourceMapping mapping) {
        var template = stack == DEV ? DEV_TEMPLATE : PROD_TEMPLATE;
        var resource = (Map<String, Object>) Synthesised.resources(template, "AWS::Lambda::EventSourceMapping")
                .get(Synthesised.logicalId(mapping));
        return (Map<String, Object>) resource.get("Properties");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> function(HeadcountStack stack, JavaFunction function) {
        var template = stack == DEV ? DEV_TEMPLATE : PROD_TEMPLATE;
        var resource = (Map<String, Object>) Synthesised.resources(template, "AWS::Lambda::Function")
                .get(Synthesised.logicalId(function.function()));
        return (Map<String, Object>) resource.get("Properties");
    }
}
