package com.headcount.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iot.CfnTopicRule;
import software.amazon.awscdk.services.lambda.CfnPermission;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The gates' allow-lists (docs/architecture.md, "Deciding on the gate"): the private bucket of compressed lists, the
 * topic rule that hands a gate's {@code allowlist/get} to AllowListFunction, and the function, which answers on the
 * gate's {@code allowlist} topic with a presigned URL of the current list. The API function rebuilds a list after each
 * set-up write and answers a staff phone's request for its gate's list over HTTP with the same presigned URL (its
 * grants are added here, beside the function's, so both read the same); the phone's page, on the dashboard site,
 * fetches it cross-origin (the bucket's CORS rule).
 */
public final class AllowLists extends Construct {

    /** The stage's request rule: the same text as the functions' {@code AllowListTopics.ruleSql} (a test compares them). */
    public static String requestSql(StageNames names) {
        return "SELECT topic(3) AS eventId, topic(5) AS gateId, haveVersion FROM '"
                + names.gateTopic("+", "+", "allowlist/get") + "'";
    }
    public static final String PREFIX = "allowlists/";
    /**
     * Three days: a list is built again when a gate asks for one older than a day (AllowLists.REFRESH_AFTER), so the
     * current object is never near its end, and the previous one lives long enough to be a delta's base.
     */
    static final int EXPIRE_DAYS = 3;

    private final Bucket bucket;
    private final JavaFunction function;
    private final CfnTopicRule rule;

    /**
     * @param pageOrigins the dashboard site's origins (the API's CORS origins): the staff check-in page fetches a
     *                    gate's list with the URL the API handed it, so those origins (and no other) may read the
     *                    bucket's objects cross-origin
     */
    public AllowLists(Construct scope, String id, Path jar, String handler, StageNames names, StageSettings settings,
                      Tables tables, Streams streams, String iotDataEndpoint, JavaFunction api, List<String> pageOrigins) {
        super(scope, id);
        bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder().id("ExpireOldLists").prefix(PREFIX)
                        .expiration(Duration.days(EXPIRE_DAYS)).abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // GET and HEAD only, no headers beyond the simple ones and no credentials: a presigned URL carries
                // its own authorisation, and what CORS adds is only that the page may read the answer
                .cors(List.of(CorsRule.builder().id("CheckInPage")
                        .allowedOrigins(List.copyOf(pageOrigins))
                        .allowedMethods(List.of(HttpMethods.GET, HttpMethods.HEAD))
                        .maxAge(3600)
                        .build()))
                // every object is rebuilt from the reference table on demand: nothing here needs keeping
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(false)
                .build();
        Nag.accept(bucket, "AwsSolutions-S1", "Server access logs would record every gate's presigned GET: the IoT "
                + "rule's invocations and the function's logs already say who asked for which list");

        Map<String, String> env = Environment.shared(tables, streams, "IOT_DATA_ENDPOINT", "https://" + iotDataEndpoint,
                "ALLOWLIST_BUCKET", bucket.getBucketName(), "ALLOWLIST_PREFIX", PREFIX, "HEADCOUNT_STAGE", names.stage());
        function = new JavaFunction(this, "AllowListFunction", jar, handler, settings.memoryMb().api(),
                Duration.seconds(30), env, settings.production());
        function.allow(List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"),
                List.of(tables.reference().getTableArn()));
        for (JavaFunction f : List.of(function, api)) grant(f, names);
        api.function().addEnvironment("ALLOWLIST_BUCKET", bucket.getBucketName());
        api.function().addEnvironment("ALLOWLIST_PREFIX", PREFIX);
        api.function().addEnvironment("IOT_DATA_ENDPOINT", "https://" + iotDataEndpoint);
        api.function().addEnvironment("HEADCOUNT_STAGE", names.stage());

        Stack stack = Stack.of(this);
        rule = CfnTopicRule.Builder.create(this, "RequestRule")
                .ruleName(names.allowListRule())
                .topicRulePayload(CfnTopicRule.TopicRulePayloadProperty.builder()
                        .sql(requestSql(names))
                        .awsIotSqlVersion("2016-03-23")
                        .ruleDisabled(false)
                        .description("A gate asks for its allow-list: the function answers on the gate's allowlist topic")
                        .actions(List.of(CfnTopicRule.ActionProperty.builder()
                                .lambda(CfnTopicRule.LambdaActionProperty.builder()
                                        .functionArn(function.alias().getFunctionArn()).build())
                                .build()))
                        .build())
                .build();
        // IoT may invoke the alias for this rule only (the source ARN), as the rule's roles are bound to their rule
        CfnPermission.Builder.create(this, "RuleInvokes")
                .action("lambda:InvokeFunction")
                .functionName(function.alias().getFunctionArn())
                .principal("iot.amazonaws.com")
                .sourceAccount(stack.getAccount())
                .sourceArn(stack.formatArn(ArnComponents.builder().service("iot").resource("rule")
                        .resourceName(names.allowListRule()).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build()))
                .build();
    }

    /**
     * Reads and writes lists under the prefix only (a presigned URL reads with its signer's grant), reads the event's
     * partition, reserves and moves its pointer, and publishes on the allow-list topics only.
     */
    private void grant(JavaFunction f, StageNames names) {
        f.allow(List.of("s3:GetObject", "s3:PutObject"), List.of(bucket.arnForObjects(PREFIX + "*")));
        String answers = names.gateTopic("*", "*", "allowlist");
        String deltas = names.eventTopic("*", "allowlist/deltas");
        f.allow(List.of("iot:Publish"), List.of(topic(answers), topic(deltas)));
        String bucketId = Stack.of(this).getLogicalId((software.amazon.awscdk.CfnElement) bucket.getNode().getDefaultChild());
        String iotTopic = "Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/";
        Nag.accept(f, "AwsSolutions-IAM5", "Allow-lists of any event, under their prefix only (one object per event and "
                + "version, named at run time); answers to any gate of this stage and deltas to any of its events, on "
                + "the allow-list topics only", "Resource::<" + bucketId + ".Arn>/" + PREFIX + "*", iotTopic + answers,
                iotTopic + deltas);
    }

    private String topic(String name) {
        return Stack.of(this).formatArn(ArnComponents.builder().service("iot").resource("topic").resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    public Bucket bucket() {
        return bucket;
    }

    public JavaFunction function() {
        return function;
    }

    public CfnTopicRule rule() {
        return rule;
    }
}
