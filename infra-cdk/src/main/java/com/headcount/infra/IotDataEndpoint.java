package com.headcount.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.SdkCallsPolicyOptions;
import software.constructs.Construct;

/**
 * The account's IoT data endpoint (where ingest publishes decisions): account-specific, with no CloudFormation
 * attribute, so it is asked for at deploy time unless the stage names it.
 */
public final class IotDataEndpoint extends Construct {

    /** The id CDK gives the one provider function all AwsCustomResources of a stack share. */
    private static final String AWS_CUSTOM_RESOURCE_PROVIDER = "AWS679f53fac002430cb0da5b7982bd2287";

    private final String address;

    public IotDataEndpoint(Construct scope, String id, String given) {
        super(scope, id);
        if (given != null) {
            address = given.replaceFirst("^https://", "");
            return;
        }
        AwsSdkCall describe = AwsSdkCall.builder()
                .service("Iot")
                .action("describeEndpoint")
                .parameters(Map.of("endpointType", "iot:Data-ATS"))
                .physicalResourceId(PhysicalResourceId.fromResponse("endpointAddress"))
                .build();
        // a role of our own instead of the provider's default (which carries a managed policy): it may write its logs
        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(RetentionDays.ONE_WEEK)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Looks up the account's IoT data endpoint at deploy time").build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn())).build());
        var lookup = AwsCustomResource.Builder.create(this, "Lookup")
                .role(role)
                .logGroup(logs)
                .onCreate(describe)
                .onUpdate(describe)
                .installLatestAwsSdk(false)
                .policy(AwsCustomResourcePolicy.fromSdkCalls(SdkCallsPolicyOptions.builder()
                        .resources(AwsCustomResourcePolicy.ANY_RESOURCE).build()))
                .build();
        address = lookup.getResponseField("endpointAddress");
        Nag.accept(this, "AwsSolutions-IAM5", "iot:DescribeEndpoint has no resource-level permissions, so its only "
                + "resource is *; the statement allows that one read-only action and nothing else.", "Resource::*");
        // the provider function's runtime is chosen by CDK through a mapping, which cdk-nag cannot evaluate
        Nag.accept(Stack.of(this).getNode().findChild(AWS_CUSTOM_RESOURCE_PROVIDER), "CdkNagValidationFailure", "AwsSolutions-L1 cannot read the runtime of CDK's own custom resource "
                + "provider (a region mapping); CDK keeps it on a current Node.js runtime, and it runs only at deploy time.");
    }

    /** The host name, without scheme. */
    public String address() {
        return address;
    }
}
