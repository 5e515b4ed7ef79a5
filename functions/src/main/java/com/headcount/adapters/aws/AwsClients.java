package com.headcount.adapters.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iotdataplane.IotDataPlaneClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds the AWS clients once per process. URLConnection is the HTTP client: it loads fastest at cold start and
 * needs no native code. In Lambda, region and credentials come from the environment, and an endpoint override
 * (for the local stack) from the SDK's own AWS_ENDPOINT_URL_* variables; in-process callers pass one.
 */
public final class AwsClients {

    static {
        // URLConnection keeps only 5 idle connections per host by default; a batch decides up to
        // DECISION_PARALLELISM scans at once, and each new TLS connection costs a handshake.
        if (System.getProperty("http.maxConnections") == null) System.setProperty("http.maxConnections", "64");
    }

    private final SdkHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI dynamoDbEndpoint;
    private final URI kinesisEndpoint;
    private final ExecutionInterceptor[] interceptors;

    private AwsClients(Region region, AwsCredentialsProvider credentials, URI dynamoDbEndpoint, URI kinesisEndpoint,
                       ExecutionInterceptor... interceptors) {
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
        this.region = region;
        this.credentials = credentials;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.kinesisEndpoint = kinesisEndpoint;
        this.interceptors = interceptors;
    }

    /** Lambda: everything from the environment. */
    public static AwsClients fromEnvironment() {
        return new AwsClients(null, null, null, null);
    }

    /** Explicit endpoints and credentials (the local stack, tests). Interceptors see every request (metering, faults). */
    public static AwsClients at(Region region, AwsCredentialsProvider credentials, URI dynamoDbEndpoint,
                                URI kinesisEndpoint, ExecutionInterceptor... interceptors) {
        return new AwsClients(region, credentials, dynamoDbEndpoint, kinesisEndpoint, interceptors);
    }

    public DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder(), dynamoDbEndpoint);
    }

    public KinesisClient kinesis() {
        return build(KinesisClient.builder(), kinesisEndpoint);
    }

    /** The IoT data plane has an account-specific endpoint (aws iot describe-endpoint --endpoint-type iot:Data-ATS). */
    public IotDataPlaneClient iotDataPlane(URI endpoint) {
        return build(IotDataPlaneClient.builder(), endpoint);
    }

    /**
     * The allow-lists' bucket, over the one HTTP client with the SDK's signer ({@code S3AllowListStore}). In Lambda
     * the region comes from AWS_REGION and the role's credentials from the default chain (under SnapStart, the
     * container credentials endpoint: Lambda sets no key variables there).
     *
     * @param endpoint the bucket's endpoint; null for its virtual-hosted endpoint in the function's region
     */
    public com.headcount.adapters.s3.S3AllowListStore allowListBucket(String bucket, String prefix, URI endpoint,
                                                                      java.time.Clock clock) {
        String regionName = region != null ? region.id() : System.getenv("AWS_REGION");
        AwsCredentialsProvider provider = credentials != null ? credentials
                : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build();
        return new com.headcount.adapters.s3.S3AllowListStore(http, provider, regionName,
                endpoint != null ? endpoint : com.headcount.adapters.s3.S3AllowListStore.bucketEndpoint(bucket, regionName),
                prefix, clock);
    }

    /** @param endpoint an override for tests; null in AWS */
    public EventBridgeClient eventBridge(URI endpoint) {
        return build(EventBridgeClient.builder(), endpoint);
    }

    public software.amazon.awssdk.services.secretsmanager.SecretsManagerClient secretsManager() {
        return build(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder(), null);
    }

    /**
     * The dashboards' {@code @connections} API at the WebSocket stage's callback URL. {@code callTimeout} bounds one
     * post with its retries: a slow connection must not hold a broadcast up for the SDK's default minutes.
     */
    public ApiGatewayManagementApiClient connections(URI callbackUrl, Duration callTimeout) {
        return configure(ApiGatewayManagementApiClient.builder(), callbackUrl).overrideConfiguration(overrides().toBuilder().apiCallTimeout(callTimeout)
                .apiCallAttemptTimeout(callTimeout.dividedBy(2)).build()).build();
    }

    /** Every client alike: the one HTTP client, the interceptors, and whatever was given explicitly. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, URI endpoint) {
        return configure(builder, endpoint).build();
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, URI endpoint) {
        builder.httpClient(http).overrideConfiguration(overrides());
        if (region != null) builder.region(region);
        if (credentials != null) builder.credentialsProvider(credentials);
        if (endpoint != null) builder.endpointOverride(endpoint);
        return builder;
    }

    private ClientOverrideConfiguration overrides() {
        var builder = ClientOverrideConfiguration.builder();
        for (ExecutionInterceptor interceptor : interceptors) builder.addExecutionInterceptor(interceptor);
        return builder.build();
    }
}
