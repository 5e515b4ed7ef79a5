package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One of our functions as every one is deployed: Java 21 on arm64 (20 % cheaper per GB-second than x86), SnapStart
 * on published versions, and an alias {@code live} that every trigger points at, so a trigger always runs a
 * snapshotted version. Its role starts empty (no managed policies): each function is granted exactly what it calls.
 */
public final class JavaFunction extends Construct implements IGrantable {

    public static final String ALIAS = "live";

    private final Function function;
    private final Alias alias;
    private final LogGroup logs;

    public JavaFunction(Construct scope, String id, Path jar, String handlerClass, int memoryMb, Duration timeout,
                        Map<String, String> environment, boolean production) {
        super(scope, id);
        logs = LogGroup.Builder.create(this, "Logs")
                .retention(production ? RetentionDays.THREE_MONTHS : RetentionDays.TWO_WEEKS)
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(id + ": only what the function calls")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn()))
                .build());
        function = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(jar.toString()))
                .handler(Handlers.entry(handlerClass))
                .memorySize(memoryMb)
                .timeout(timeout)
                .environment(environment)
                .role(role)
                .logGroup(logs)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .description(handlerClass)
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "every trigger runs the alias, which points at a published version");
        alias = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    public Function function() {
        return function;
    }

    /** What triggers and alarms attach to. */
    public Alias alias() {
        return alias;
    }

    public LogGroup logs() {
        return logs;
    }

    /**
     * An EventBridge schedule invoking the alias every minute, without retries (the next minute is the retry). The
     * target's retries are EventBridge's own; a function error is retried by Lambda's asynchronous invocation (twice
     * by default), which would overlap the next minute's run and raise its errors alarm again, so the alias turns
     * that off too, and an invocation Lambda could not start within a minute is dropped rather than run late.
     */
    public void runEveryMinute() {
        Rule.Builder.create(this, "EveryMinute")
                .schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(alias).retryAttempts(0).build()))
                .build();
        alias.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(Duration.seconds(60))
                .build());
    }

    /**
     * Reserves this many concurrent instances (a guarantee and a ceiling); 0 leaves the function in the account's
     * shared pool, since a reservation of 0 would stop it altogether.
     */
    public void reserveConcurrency(int instances) {
        if (instances > 0) ((CfnFunction) function.getNode().getDefaultChild()).setReservedConcurrentExecutions(instances);
    }

    public void allow(List<String> actions, List<String> resources) {
        function.addToRolePolicy(PolicyStatement.Builder.create().actions(actions).resources(resources).build());
    }

    /** The same, only where the IAM conditions hold (e.g. {@code dynamodb:LeadingKeys}: some partitions only). */
    public void allow(List<String> actions, List<String> resources, java.util.Map<String, ?> conditions) {
        function.addToRolePolicy(PolicyStatement.Builder.create().actions(actions).resources(resources)
                .conditions(conditions).build());
    }

    @Override
    public IPrincipal getGrantPrincipal() {
        return function.getGrantPrincipal();
    }
}
