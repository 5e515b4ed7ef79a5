package com.headcount.local.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The IoT data plane's Publish API ({@code POST /topics/{topic}?qos=N}, the payload as body) on a loopback port,
 * publishing into the local broker, so the real {@code IotDataPlaneClient} and {@code IotGateFeedback} run
 * unchanged against it. Signatures are not checked: nothing but this machine can reach it, and no web page of another
 * origin either (a plain cross-origin POST needs no preflight, so it would otherwise publish to the gates).
 */
public final class IotDataPlaneStandIn implements AutoCloseable {

    private static final String PREFIX = "/topics/";

    private final HttpServer server;
    private final LocalBroker broker;
    private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();

    private IotDataPlaneStandIn(HttpServer server, LocalBroker broker) {
        this.server = server;
        this.broker = broker;
    }

    public static IotDataPlaneStandIn start(int port, LocalBroker broker) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        IotDataPlaneStandIn standIn = new IotDataPlaneStandIn(server, broker);
        server.createContext("/", standIn::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return standIn;
    }

    /** Messages published to devices so far (decisions told to gates). */
    public long published() {
        return published.get();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null && !origin.equals(ownOrigin())) {
                error(exchange, 403, "ForbiddenException", "cross-origin requests are refused");
                return;
            }
            String rawPath = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !rawPath.startsWith(PREFIX)) {
                error(exchange, 404, "UnsupportedOperation", "only POST /topics/{topic} is served here");
                return;
            }
            // The SDK percent-encodes the slashes of the topic: decode the whole remainder.
            String topic = URLDecoder.decode(rawPath.substring(PREFIX.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
            int qos = qos(exchange.getRequestURI().getRawQuery());
            if (topic.isEmpty() || topic.contains("+") || topic.contains("#") || qos < 0) {
                error(exchange, 400, "InvalidRequestException", "topic must be a topic name and qos 0 or 1");
                return;
            }
            byte[] payload = exchange.getRequestBody().readAllBytes();
            try {
                broker.publish(topic, qos, payload).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                error(exchange, 503, "ServiceUnavailableException", "the broker did not take the message");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error(exchange, 503, "ServiceUnavailableException", "stopping");
                return;
            }
            published.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private String ownOrigin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int qos(String rawQuery) {
        if (rawQuery == null) return 0;
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("qos=")) {
                return switch (pair.substring(4)) {
                    case "0" -> 0;
                    case "1" -> 1;
                    default -> -1;
                };
            }
        }
        return 0;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
