package com.headcount.local.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.access.Caller;
import com.headcount.core.api.Problem;
import com.headcount.core.api.Routes;
import com.headcount.local.lambda.LocalContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * API Gateway HTTP API on the loopback: real HTTP in, an {@link APIGatewayV2HTTPEvent} (payload 2.0) to the real
 * handler, its response back out. Like API Gateway with a JWT authorizer, it refuses a request without a valid
 * bearer token (401) before the function runs, and hands the function the token's claims as strings under
 * {@code requestContext.authorizer.jwt.claims}. Like API Gateway, it refuses bodies above 10 MB (413), and
 * base64-encodes bodies that are not text. Its CORS answers are the CDK app's ({@code HttpApiGateway}): preflights are
 * answered by the gateway itself, for the allowed origins (the dashboard's).
 */
public final class LocalApiGateway implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService workers;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final Jwt verifier;
    private final Clock clock;
    private final Set<String> allowedOrigins;

    private LocalApiGateway(HttpServer server, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                            Jwt verifier, Clock clock, Set<String> allowedOrigins) {
        this.server = server;
        this.handler = handler;
        this.verifier = verifier;
        this.clock = clock;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.workers = Executors.newFixedThreadPool(8);
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    /** @param port 0 for any free port */
    public static LocalApiGateway start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                                        Jwt verifier, Clock clock) {
        return start(port, handler, verifier, clock, Set.of());
    }

    /** @param allowedOrigins browser origins allowed to call the API (CORS), e.g. {@code http://localhost:8082} */
    public static LocalApiGateway start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                                        Jwt verifier, Clock clock, Set<String> allowedOrigins) {
        try {
            return new LocalApiGateway(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64), handler,
                    verifier, clock, allowedOrigins);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            boolean allowed = origin != null && allowedOrigins.contains(origin);
            if (allowed) {
                exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
                exchange.getResponseHeaders().set("Vary", "Origin");
            }
            if ("OPTIONS".equals(exchange.getRequestMethod())
                    && exchange.getRequestHeaders().getFirst("Access-Control-Request-Method") != null) {
                // a preflight: answered by the gateway, never by the function
                if (allowed) {
                    exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET,POST,PUT");
                    exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "authorization,content-type,idempotency-key");
                    exchange.getResponseHeaders().set("Access-Control-Max-Age", "3600");
                }
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (allowed) exchange.getResponseHeaders().set("Access-Control-Expose-Headers", "idempotent-replayed,location");
            Instant receivedAt = clock.instant();
            String requestId = UUID.randomUUID().toString();
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, problem(Problem.tooLarge(MAX_BODY_BYTES, "API Gateway takes at most 10 MB"), requestId));
                return;
            }
            Map<String, Object> claims;
            try {
                String token = Jwt.bearer(exchange.getRequestHeaders().getFirst("Authorization"))
                        .orElseThrow(() -> new Jwt.Invalid("no bearer token"));
                claims = verifier.verify(token);
            } catch (Jwt.Invalid e) {
                send(exchange, problem(Problem.unauthorized(e.getMessage()), requestId));
                return;
            }
            var ambiguous = Jwt.ambiguousGrantClaim(claims);
            if (ambiguous.isPresent()) {
                send(exchange, problem(Problem.of(403, "invalid_claims", "The token's claims are malformed",
                        ambiguous.get()), requestId));
                return;
            }
            // API Gateway checks the route's authorization scope after the token and before the function
            var route = route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            if (route.isPresent() && route.get().scopes.stream().noneMatch(Jwt.scopes(claims)::contains)) {
                send(exchange, problem(Problem.of(403, "insufficient_scope", "The token lacks the route's scope",
                        "this route needs one of the scopes " + String.join(", ", route.get().scopes)), requestId));
                return;
            }
            APIGatewayV2HTTPEvent event = event(exchange, body, claims, requestId, receivedAt);
            APIGatewayV2HTTPResponse response;
            try {
                response = handler.handleRequest(event, new LocalContext("ApiFunction", Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                // what API Gateway answers when the integration fails
                e.printStackTrace();
                response = new APIGatewayV2HTTPResponse(500, Map.of("Content-Type", "application/json"), null, null,
                        "{\"message\":\"Internal Server Error\"}", false);
            }
            send(exchange, response);
        }
    }

    /** No route: the function answers its 404 or 405 (API Gateway answers its own 404 there, no scope involved). */
    private static java.util.Optional<Routes.Route> route(String method, String path) {
        try {
            return java.util.Optional.of(Routes.match(method, path).route());
        } catch (Problem.Failure noRoute) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            in.skip(Long.MAX_VALUE);
            return null;
        }
        return bytes;
    }

    static APIGatewayV2HTTPEvent event(HttpExchange exchange, byte[] body, Map<String, Object> claims, String requestId,
                                       Instant receivedAt) {
        URI uri = exchange.getRequestURI();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String v : values) for (String c : v.split(";\\s*")) cookies.add(c);
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        Map<String, String> query = new LinkedHashMap<>();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        Map<String, String> claimStrings = new LinkedHashMap<>();
        claims.forEach((k, v) -> claimStrings.put(k, Caller.claimString(v)));

        String text = body.length == 0 ? null : textOrNull(body, headers.get("content-type"));
        boolean base64 = body.length > 0 && text == null;
        String path = uri.getRawPath();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body.length == 0 ? null : base64 ? Base64.getEncoder().encodeToString(body) : text)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(headers.getOrDefault("host", "localhost"))
                        .withDomainPrefix("local")
                        .withStage("$default")
                        .withRouteKey("$default")
                        .withRequestId(requestId)
                        .withTime(REQUEST_TIME.format(receivedAt))
                        .withTimeEpoch(receivedAt.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod())
                                .withPath(path)
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claimStrings).withScopes(null).build())
                                .build())
                        .build())
                .build();
    }

    /** Text bodies pass as they are; anything else (or bytes that are not UTF-8) goes base64, as API Gateway does. */
    private static String textOrNull(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean textual = type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.startsWith("application/x-www-form-urlencoded") || type.contains("javascript");
        if (!textual) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static APIGatewayV2HTTPResponse problem(Problem p, String requestId) {
        Map<String, Object> doc = p.toMap(null);
        doc.put("requestId", requestId);
        String json;
        try {
            json = JSON.std.asString(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", Problem.MEDIA_TYPE);
        if (p.status() == 401) headers.put("WWW-Authenticate", "Bearer");
        return new APIGatewayV2HTTPResponse(p.status(), headers, null, null, json, false);
    }

    private static void send(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response.getHeaders() != null) response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, v) -> exchange.getResponseHeaders().put(k, v));
        }
        byte[] bytes = response.getBody() == null ? new byte[0] : response.getIsBase64Encoded()
                ? Base64.getDecoder().decode(response.getBody()) : response.getBody().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.getStatusCode(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
