package com.headcount.local.stats;

import com.headcount.adapters.webhook.WebhookSignature;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real HTTP on a loopback port: {@code /hook} is a webhook receiver that verifies the signature on the raw body
 * before accepting it (401 otherwise); {@code /} answers EventBridge's PutEvents as the service does, so the real
 * SDK client can be pointed at it (there is no EventBridge emulator here).
 */
final class LoopbackReceiver implements AutoCloseable {

    record Hook(String body, WebhookSignature.Verification verification, String deliveryId) {}

    final List<Hook> hooks = new CopyOnWriteArrayList<>();
    final List<String> putEvents = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LoopbackReceiver(String secret) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var verification = WebhookSignature.verify(secret, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body, Instant.now(), Duration.ofMinutes(5));
            hooks.add(new Hook(body, verification, exchange.getRequestHeaders().getFirst("X-Headcount-Delivery")));
            exchange.sendResponseHeaders(verification.isValid() ? 204 : 401, -1);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            putEvents.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11111111-2222-3333-4444-555555555555\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
