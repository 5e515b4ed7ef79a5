package com.headcount.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.allowlist.AllowListCodec;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** S3 without the S3 client: the SigV4 presigned URL as S3's documentation computes it, and signed PUTs and GETs. */
class S3AllowListStoreTest {

    private static final StaticCredentialsProvider DOCS_KEYS = StaticCredentialsProvider.create(AwsBasicCredentials.create(
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    @Test
    void aPresignedUrlIsTheOneS3sSigV4DocumentationComputesForItsExample() {
        // S3's "Authenticating Requests: Using Query Parameters" example: GET /test.txt of examplebucket, us-east-1,
        // 24 hours from 2013-05-24T00:00:00Z
        var store = new S3AllowListStore(UrlConnectionHttpClient.create(), DOCS_KEYS, "us-east-1",
                URI.create("https://examplebucket.s3.amazonaws.com"), "", Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC));
        URI url = store.presign("/test.txt", Duration.ofHours(24));
        Map<String, String> query = query(url);
        assertEquals("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", query.get("X-Amz-Signature"), url.toString());
        assertEquals("86400", query.get("X-Amz-Expires"));
        assertEquals("host", query.get("X-Amz-SignedHeaders"));
        assertEquals("/test.txt", url.getPath());
    }

    @Test
    void anAllowListIsPutWithItsPayloadSignedAndReadBackAndAMissingOneIsEmpty() throws Exception {
        Map<String, byte[]> bucket = new ConcurrentHashMap<>();
        Map<String, String> lastAuthorization = new ConcurrentHashMap<>();
        HttpServer s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s3.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            lastAuthorization.put(exchange.getRequestMethod(), auth == null ? "" : auth);
            String path = exchange.getRequestURI().getPath();
            if ("PUT".equals(exchange.getRequestMethod())) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean hashed = AllowListCodec.sha256(body).equals(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"));
                if (hashed) bucket.put(path, body);
                exchange.sendResponseHeaders(hashed ? 200 : 400, -1);
            } else {
                byte[] body = bucket.get(path);
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        s3.start();
        try {
            var store = new S3AllowListStore(UrlConnectionHttpClient.create(), DOCS_KEYS, "eu-west-1",
                    URI.create("http://127.0.0.1:" + s3.getAddress().getPort()), "allowlists/", Clock.systemUTC());
            byte[] body = AllowListCodec.gzip("a list".getBytes(StandardCharsets.UTF_8));
            store.put("evt-1", 3, body);
            assertTrue(bucket.containsKey("/allowlists/evt-1/3.gz"), "stored under its prefix: " + bucket.keySet());
            assertTrue(lastAuthorization.get("PUT").startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"),
                    lastAuthorization.get("PUT"));
            assertTrue(lastAuthorization.get("PUT").contains("/eu-west-1/s3/aws4_request"));
            assertArrayEquals(body, store.get("evt-1", 3).orElseThrow());
            assertEquals(Optional.empty(), store.get("evt-1", 4));
            assertEquals("/allowlists/evt-1/3.gz", store.url("evt-1", 3, Duration.ofMinutes(5)).getPath());
            assertEquals("300", query(store.url("evt-1", 3, Duration.ofMinutes(5))).get("X-Amz-Expires"));
        } finally {
            s3.stop(0);
        }
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }
}
