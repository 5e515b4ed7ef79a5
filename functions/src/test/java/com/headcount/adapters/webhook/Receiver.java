package com.headcount.adapters.webhook;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on a free loopback port, doing what an integration would: verify the signature on the
 * raw body (401 if it fails), then answer with the next scripted status for the path (200 when none is left).
 */
final class Receiver implements AutoCloseable {

    record Received(String path, String body, String signature, String deliveryId, int attempt,
                    WebhookSignature.Verification verification, int answered) {
    }

    /** One scripted answer: a status, optionally a Retry-After, optionally a delay before answering. */
    record Answer(int status, String retryAfter, Duration delay) {
        static Answer status(int status) {
            return new Answer(status, null, Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final WebhookSecret secret;
    private final Map<String, ConcurrentLinkedDeque<Answer>> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    Receiver(String secret) {
        this.secret = WebhookSecret.of(secret);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    Receiver script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, k -> new ConcurrentLinkedDeque<>()).addAll(List.of(answers));
        return this;
    }

    Receiver script(String path, int... statuses) {
        for (int s : statuses) {
            script(path, Answer.status(s));
        }
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
            WebhookSignature.Verification v = WebhookSignature.verify(secret, signature, raw, Instant.now(),
                    WebhookSignature.DEFAULT_TOLERANCE);
            String path = exchange.getRequestURI().getPath();
            Answer answer = v.isValid() ? next(path) : Answer.status(401);
            String attempt = exchange.getRequestHeaders().getFirst(WebhookSender.ATTEMPT_HEADER);
            received.add(new Received(path, new String(raw, StandardCharsets.UTF_8), signature,
                    exchange.getRequestHeaders().getFirst(WebhookSender.DELIVERY_HEADER),
                    attempt == null ? 0 : Integer.parseInt(attempt), v, answer.status()));
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay());
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (attempt timeout) before we answered: expected in the timeout test.
        }
    }

    private Answer next(String path) {
        ConcurrentLinkedDeque<Answer> script = scripts.get(path);
        Answer a = script == null ? null : script.poll();
        return a == null ? Answer.status(200) : a;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
