package com.headcount.local.stack;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.device.simulator.Tally;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Executors;

/**
 * Serves the dashboard as S3 and CloudFront do in AWS: the built page ({@code dashboard/dist}, from
 * {@code bin/dashboard}) and its {@code config.json} (where the HTTP and WebSocket APIs answer). Also {@code /counts},
 * the stored outcome counts per event (cached for a second, so open tabs do not load dynalite), for tests and scripts.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Duration CACHE = Duration.ofSeconds(1);

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json", "application/json",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "map", "application/json",
            "webmanifest", "application/manifest+json");

    private final HttpServer server;
    private final StoredOutcomes outcomes;
    private final Path site;
    private final byte[] config;
    private final Supplier<Map<String, Object>> metrics;
    private byte[] cached;
    private Instant cachedAt = Instant.EPOCH;

    private DashboardServer(HttpServer server, StoredOutcomes outcomes, Path site, byte[] config,
                            Supplier<Map<String, Object>> metrics) {
        this.server = server;
        this.outcomes = outcomes;
        this.site = site;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * @param site    the built page's folder
     * @param config  what the page reads from {@code /config.json}: {@code apiUrl}, {@code webSocketUrl}
     * @param metrics the stack's own counters, served at {@code /metrics} (what the load benchmark reads)
     */
    public static DashboardServer start(int port, StoredOutcomes outcomes, Path site, Map<String, Object> config,
                                        Supplier<Map<String, Object>> metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        DashboardServer dashboard = new DashboardServer(server, outcomes, site.toAbsolutePath().normalize(),
                JSON.std.asBytes(config), metrics);
        server.createContext("/counts", dashboard::counts);
        server.createContext("/config.json", dashboard::config);
        server.createContext("/metrics", dashboard::metrics);
        server.createContext("/", dashboard::page);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return dashboard;
    }

    public URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
    }

    /** The site's files; {@code /} is {@code index.html}, as CloudFront's default root object. */
    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = site.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                byte[] body = (Files.isDirectory(site) ? "not found" : "the dashboard is not built: run bin/dashboard")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String name = file.getFileName().toString();
            String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void config(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, config.length);
            exchange.getResponseBody().write(config);
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
