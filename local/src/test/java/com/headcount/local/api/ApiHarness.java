package com.headcount.local.api;

import com.headcount.local.testing.Emulators;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.AwsClients;
import com.headcount.adapters.aws.RequestMeter;
import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.stats.StatisticsView;
import com.headcount.handlers.AllowListSettings;
import com.headcount.handlers.AllowListWiring;
import com.headcount.handlers.ApiFunction;
import com.headcount.handlers.ApiSettings;
import com.headcount.handlers.ApiWiring;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.lambda.AwsCalls;
import com.headcount.local.gateway.LocalApiGateway;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.LocalResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The HTTP API wired as in AWS, on the emulators: the real ApiFunction behind the local gateway, real tables, its own
 * `attendance-recorded` stream. Requests go over real HTTP with tokens from the local issuer.
 */
final class ApiHarness implements AutoCloseable {

    static final AtomicInteger SEQUENCE = new AtomicInteger();

    final ApiSettings settings;
    final RequestMeter meter = new RequestMeter();
    final DynamoDbClient dynamo;
    final KinesisClient kinesis;
    final LocalTokens tokens;
    final LocalApiGateway gateway;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiHarness(Emulators emulators, StatisticsView statistics, ExecutionInterceptor... faults) {
        this(emulators, statistics, false, faults);
    }

    /**
     * @param allowLists whether set-up writes build the events' allow-lists and staff phones are answered with them:
     *                   the lists kept in memory, no gate told (the local stack wires the bucket and the broker)
     */
    ApiHarness(Emulators emulators, StatisticsView statistics, boolean allowLists, ExecutionInterceptor... faults) {
        int n = SEQUENCE.incrementAndGet();
        // organisers' changes apply at once here; in AWS the reference cache delays them by up to its TTL
        settings = ApiSettings.from(Map.of("ATTENDANCE_RECORDED_STREAM", "api-recorded-" + n, "REFERENCE_CACHE_TTL", "PT0S"));
        List<ExecutionInterceptor> interceptors = new java.util.ArrayList<>(List.of(meter));
        interceptors.addAll(List.of(faults));
        AwsClients clients = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                interceptors.toArray(ExecutionInterceptor[]::new));
        dynamo = clients.dynamoDb();
        kinesis = clients.kinesis();
        LocalResources.createTables(dynamo, settings.shared());
        LocalResources.createStream(kinesis, settings.shared().attendanceRecordedStream(), 1);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        tokens = new LocalTokens(key, Clock.systemUTC());
        interceptors.add(AwsCalls.of("ApiFunction", AwsCalls.variables(settings)));
        AwsClients own = LocalAws.clients(emulators.dynalite.endpoint(), emulators.kinesis.endpoint(),
                interceptors.toArray(ExecutionInterceptor[]::new));
        AllowLists lists = !allowLists ? null : AllowListWiring.allowLists(own.dynamoDb(), new MemoryStore(),
                new AllowLists.Channel() {
                    @Override
                    public void answer(String eventId, String gateId, byte[] json) {}

                    @Override
                    public void delta(String eventId, byte[] json) {}
                }, AllowListSettings.from(Map.of()), Clock.systemUTC());
        var function = new ApiFunction(ApiWiring.services(own.dynamoDb(), own.kinesis(), settings, statistics,
                Clock.systemUTC(), lists));
        gateway = LocalApiGateway.start(0, function, tokens.verifier(), Clock.systemUTC());
    }

    ApiHarness(Emulators emulators) {
        this(emulators, eventId -> Optional.empty());
    }

    /** Gate staff here may scan at every gate of their events; {@link #staffToken} binds them to some. */
    String token(String role, String... events) {
        return tokens.mint("tester", List.of(role), List.of(events), role.equals("gate-staff") ? List.of("*") : List.of(),
                Duration.ofMinutes(10));
    }

    String staffToken(String event, String... gates) {
        return tokens.mint("staff", List.of("gate-staff"), List.of(event), List.of(gates), Duration.ofMinutes(10));
    }

    record Answer(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        Map<String, Object> json() {
            try {
                return JSON.std.mapFrom(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String contentType() {
            return header("content-type");
        }
    }

    Answer send(String method, String path, String token, String contentType, byte[] body, String... headers) {
        var builder = HttpRequest.newBuilder(URI.create(gateway.endpoint() + path)).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        if (contentType != null) builder.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        try {
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer json(String method, String path, String token, Object body, String... headers) {
        try {
            return send(method, path, token, "application/json", body == null ? null : JSON.std.asBytes(body), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    @Override
    public void close() {
        gateway.close();
    }

    /** The lists' objects in memory; a URL names its object and is not served. */
    private static final class MemoryStore implements AllowLists.Store {
        private final Map<String, byte[]> objects = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void put(String eventId, long version, byte[] gzip) {
            objects.put(eventId + "/" + version, gzip);
        }

        @Override
        public Optional<byte[]> get(String eventId, long version) {
            return Optional.ofNullable(objects.get(eventId + "/" + version));
        }

        @Override
        public URI url(String eventId, long version, Duration validFor) {
            return URI.create("http://lists.invalid/" + eventId + "/" + version + ".gz");
        }
    }
}
