package com.headcount.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The dashboard (browser): a private bucket served only through CloudFront (origin access control), over HTTPS.
 * The page ({@code dashboard/dist}, built by {@code bin/dashboard}) and its {@code config.json} (the stack output
 * {@code DashboardConfig}) are copied into the bucket by {@code bin/publish-dashboard} after a deploy: CDK's
 * BucketDeployment would do it in the stack, but its role grants wildcard S3 actions, which this stack does not take.
 */
public final class DashboardSite extends Construct {

    private final Bucket bucket;
    private final Distribution distribution;
    private final ResponseHeadersPolicy headers;

    public DashboardSite(Construct scope, String id, boolean production) {
        super(scope, id);
        bucket = Bucket.Builder.create(this, "Site")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .autoDeleteObjects(false)
                .build();
        headers = ResponseHeadersPolicy.Builder.create(this, "Headers")
                .comment("Headcount dashboards: the page runs only its own script and talks only to the stage's APIs")
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(contentSecurityPolicy(Stack.of(this).getRegion()))
                                .override(true).build())
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(Duration.days(365)).includeSubdomains(true).override(true).build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .frameOptions(ResponseHeadersFrameOptions.builder().frameOption(HeadersFrameOption.DENY)
                                .override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                                .referrerPolicy(HeadersReferrerPolicy.NO_REFERRER).override(true).build())
                        .build())
                .build();
        distribution = Distribution.Builder.create(this, "Cdn")
                .comment("Headcount dashboards")
                .defaultRootObject("index.html")
                .priceClass(PriceClass.PRICE_CLASS_100)
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .responseHeadersPolicy(headers)
                        .build())
                .build();
        acceptFindings();
    }

    /**
     * The APIs' own hosts cannot be named here: their CORS names this distribution, and CloudFormation refuses the
     * cycle. So connect-src is the stage region's execute-api hosts (https for tickets, wss for the feed), still no
     * other site but the allow-list bucket's; the page's own config.json comes from 'self', and the check-in page's
     * service worker and manifest too. No inline script or style element: a sign-in link
     * cannot smuggle code, and no page may frame the dashboard to trick a click on its sign-in.
     */
    static String contentSecurityPolicy(String region) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self' https://*.execute-api." + region + ".amazonaws.com wss://*.execute-api." + region
                + ".amazonaws.com " + S3_HOSTS.replace("{region}", region) + "; "
                + "worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    }

    /**
     * Where the check-in page downloads its allow-list: a presigned URL of the allow-list bucket, always regional
     * (S3AllowListStore signs for the stack's region). Named by pattern for the same reason as the APIs (the bucket's
     * CORS names this distribution); the URL itself is what grants access.
     */
    private static final String S3_HOSTS = "https://*.s3.{region}.amazonaws.com";

    private void acceptFindings() {
        Nag.accept(bucket, "AwsSolutions-S1", "The bucket holds one static page and is read by CloudFront alone (origin "
                + "access control); there is nothing per viewer in it, and every data request is logged by the HTTP API.");
        Nag.accept(distribution, "AwsSolutions-CFR3", "A static page with no data in it: viewer logs would be stored "
                + "and never read. The data requests go to the HTTP API, whose stage writes an access log.");
        Nag.accept(distribution, "AwsSolutions-CFR4", "No custom domain: with CloudFront's default certificate the minimum "
                + "protocol cannot be raised. A stage with its own domain adds its certificate and TLSv1.2_2021 (README).");
        Nag.accept(distribution, "AwsSolutions-CFR1", "Events happen in any country; no country is to be refused.");
        Nag.accept(distribution, "AwsSolutions-CFR2", "A public static page without forms or data; the data sits behind "
                + "the JWT-authorised APIs. A web ACL would cost more per month than the whole stack at rest.");
    }

    public Bucket bucket() {
        return bucket;
    }

    /** The dashboards' origin, for the APIs' CORS. */
    public String origin() {
        return "https://" + distribution.getDistributionDomainName();
    }

    public Distribution distribution() {
        return distribution;
    }
}
