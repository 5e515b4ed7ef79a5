package com.headcount.local.stats;

import com.headcount.adapters.webhook.WebhookSignature;
import com.sun.net.httpserver.HttpExchange;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real HTTP on a loopback port: {@code /hook} is a webhook receiver that verifies the signature on the raw body
 * before accepting it (401 otherwise); {@code /hang} takes the request and never answers (until closed);
 * {@code /} answers EventBridge's PutEvents as the service does, so the real SDK client can be pointed at it (there
 * is no EventBridge emulator here), or refuses it as the service does a caller without the permission.
 */
final class LoopbackReceiver implements AutoCloseable {

    record Hook(String body, WebhookSignature.Verification verification, String deliveryId) {}

    final List<Hook> hooks = new CopyOnWriteArrayList<>();
    final List<String> hung = new CopyOnWriteArrayList<>();
    final List<String> putEvents = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean refuseEvents;

    LoopbackReceiver(String secret) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a hanging request must not hold the others up, as on a real network
        server.setExecutor(threads);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var verification = WebhookSignature.verify(secret, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body, Instant.now(), Duration.ofMinutes(5));
            hooks.add(new Hook(body, verification, exchange.getRequestHeaders().getFirst("X-Headcount-Delivery")));
            exchange.sendResponseHeaders(verification.isValid() ? 204 : 401, -1);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            hung.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/", exchange -> {
            putEvents.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (refuseEvents) {
                answer(exchange, 400, "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to "
                        + "perform: events:PutEvents on resource: headcount-alerts\"}");
            } else {
                answer(exchange, 200, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11111111-2222-3333-4444-555555555555\"}]}");
            }
        });
        server.start();
    }

    /** From now on PutEvents is refused (AccessDeniedException), as after a permission was removed. */
    void refuseEvents() {
        refuseEvents = true;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] answer = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
