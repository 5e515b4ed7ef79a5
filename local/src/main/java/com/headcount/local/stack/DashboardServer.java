package com.headcount.local.stack;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.device.simulator.Tally;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Executors;

/**
 * The local dashboard until the WebSocket dashboard lands: a static page that polls {@code /counts}, the outcome
 * counts per event read from the scans table (cached for a second, so open tabs do not load dynalite).
 */
public final class DashboardServer implements AutoCloseable {

    private static final Duration CACHE = Duration.ofSeconds(1);

    private final HttpServer server;
    private final StoredOutcomes outcomes;
    private final Supplier<Map<String, Object>> metrics;
    private byte[] cached;
    private Instant cachedAt = Instant.EPOCH;

    private DashboardServer(HttpServer server, StoredOutcomes outcomes, Supplier<Map<String, Object>> metrics) {
        this.server = server;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    /** @param metrics the stack's own counters, served at {@code /metrics} (what the load benchmark reads) */
    public static DashboardServer start(int port, StoredOutcomes outcomes, Supplier<Map<String, Object>> metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        DashboardServer dashboard = new DashboardServer(server, outcomes, metrics);
        server.createContext("/counts", dashboard::counts);
        server.createContext("/metrics", dashboard::metrics);
        server.createContext("/", dashboard::page);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return dashboard;
    }

    public URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange; InputStream page = DashboardServer.class.getResourceAsStream("/dashboard/index.html")) {
            if (!"/".equals(exchange.getRequestURI().getPath()) || page == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = page.readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void counts(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try {
                body = countsJson();
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = JSON.std.asBytes(metrics.get());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private synchronized byte[] countsJson() throws IOException {
        Instant now = Instant.now();
        if (cached != null && now.isBefore(cachedAt.plus(CACHE))) return cached;
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map.Entry<String, Tally> e : outcomes.tallies().entrySet()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", e.getKey());
            event.put("total", e.getValue().total());
            event.put("accepted", e.getValue().accepted());
            event.put("duplicate", e.getValue().duplicate());
            event.put("rejected", e.getValue().rejectedByReason());
            events.add(event);
        }
        cached = JSON.std.asBytes(Map.of("updatedAt", now.toString(), "events", events));
        cachedAt = now;
        return cached;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
