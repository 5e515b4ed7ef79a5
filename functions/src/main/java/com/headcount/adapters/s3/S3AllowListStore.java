package com.headcount.adapters.s3;

import com.headcount.core.allowlist.AllowLists;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The allow-lists' bucket, spoken to with the SDK's SigV4 signer and HTTP client instead of the S3 client: one signed
 * PUT per version, one signed GET for the base of a delta, and presigned GET URLs for the gates (computed here, no
 * request). Objects are {@code {prefix}{eventId}/{version}.gz}; the bucket encrypts them (SSE-S3 by default) and its
 * lifecycle rule expires them.
 *
 * @param endpoint the bucket's virtual-hosted endpoint, {@code https://{bucket}.s3.{region}.amazonaws.com}
 */
public final class S3AllowListStore implements AllowLists.Store {

    /** Presigned URLs are valid for at most a week (SigV4's limit); ours are minutes. */
    static final Duration MAX_VALIDITY = Duration.ofDays(7);

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI endpoint;
    private final String prefix;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public S3AllowListStore(SdkHttpClient http, AwsCredentialsProvider credentials, String region, URI endpoint,
                            String prefix, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.prefix = prefix == null ? "" : prefix;
        this.clock = clock;
    }

    public static URI bucketEndpoint(String bucket, String region) {
        return URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com");
    }

    /** The object's key: what the function's IAM grant is scoped by ({@code {prefix}*}). */
    public String key(String eventId, long version) {
        return prefix + eventId + "/" + version + ".gz";
    }

    @Override
    public void put(String eventId, long version, byte[] gzip) {
        SdkHttpFullRequest request = request(SdkHttpMethod.PUT, eventId, version)
                .putHeader("Content-Type", "application/gzip")
                .putHeader("Content-Length", Integer.toString(gzip.length))
                .contentStreamProvider(() -> new ByteArrayInputStream(gzip))
                .build();
        // the payload is signed (its SHA-256 in the signature): S3 refuses a body changed on the way
        SignedRequest signed = sign(request, gzip, null);
        int status = execute(signed, gzip, null);
        if (status / 100 != 2) throw new UncheckedIOException(new IOException("S3 PUT of " + key(eventId, version) + " answered " + status));
    }

    @Override
    public Optional<byte[]> get(String eventId, long version) {
        SdkHttpFullRequest request = request(SdkHttpMethod.GET, eventId, version).build();
        SignedRequest signed = sign(request, null, null);
        byte[][] body = new byte[1][];
        int status = execute(signed, null, body);
        if (status == 404 || status == 403) return Optional.empty(); // gone, or (without s3:ListBucket) a 403 for gone
        if (status / 100 != 2) throw new UncheckedIOException(new IOException("S3 GET of " + key(eventId, version) + " answered " + status));
        return Optional.of(body[0]);
    }

    @Override
    public URI url(String eventId, long version, Duration validFor) {
        return presign("/" + key(eventId, version), validFor);
    }

    /** A presigned GET of {@code path} (already URL-encoded; ours are ids and digits). */
    URI presign(String path, Duration validFor) {
        if (validFor.compareTo(MAX_VALIDITY) > 0) throw new IllegalArgumentException("a presigned URL lasts a week at most");
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(endpoint)
                .encodedPath(path).build();
        SignedRequest signed = sign(request, null, validFor);
        return signed.request().getUri();
    }

    /**
     * SigV4 as S3 wants it (no double encoding, no path normalisation). With {@code payload} its SHA-256 is signed;
     * without, the payload is unsigned (a GET has none). With {@code presignedFor}, the signature goes in the query.
     */
    private SignedRequest sign(SdkHttpFullRequest request, byte[] payload, Duration presignedFor) {
        return signer.sign(r -> {
            r.identity(identity()).request(request)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
            if (payload != null) r.payload(ContentStreamProvider.fromByteArrayUnsafe(payload));
            else r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
            if (presignedFor != null) {
                r.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, presignedFor);
            }
        });
    }

    private SdkHttpFullRequest.Builder request(SdkHttpMethod method, String eventId, long version) {
        return SdkHttpFullRequest.builder().method(method).uri(endpoint).encodedPath("/" + key(eventId, version));
    }

    private AwsCredentialsIdentity identity() {
        return credentials.resolveCredentials();
    }

    private int execute(SignedRequest signed, byte[] payload, byte[][] bodyOut) {
        SdkHttpRequest request = signed.request();
        ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder().request(request)
                .contentStreamProvider(payload == null ? null : ContentStreamProvider.fromByteArrayUnsafe(payload)).build());
        try {
            HttpExecuteResponse response = call.call();
            var stream = response.responseBody();
            byte[] body = stream.isPresent() ? stream.get().readAllBytes() : new byte[0];
            if (stream.isPresent()) stream.get().close();
            if (bodyOut != null) bodyOut[0] = body;
            return response.httpResponse().statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
