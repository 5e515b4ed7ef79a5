package com.headcount.local.dashboard;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A dashboard's WebSocket in tests (the JDK's client): what it received, and whether it was closed. */
final class DashboardClient implements AutoCloseable {

    final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private DashboardClient(URI uri) {
        Listener listener = new Listener();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, listener).join();
    }

    /** Connects with {@code ?eventId=…&ticket=…}; throws {@link Refused} when the handshake is refused. */
    static DashboardClient connect(URI webSocketUrl, String eventId, String ticket) {
        URI uri = URI.create(webSocketUrl + "?eventId=" + eventId + "&ticket=" + ticket);
        try {
            return new DashboardClient(uri);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                throw new Refused(h.getResponse().statusCode(), String.valueOf(h.getResponse().body()));
            }
            throw e;
        }
    }

    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String body) {
            super(status + " " + body);
            this.status = status;
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The first message received that matches, waiting for it up to {@code wait}. */
    Map<String, Object> await(Predicate<Map<String, Object>> which, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until) {
            for (Map<String, Object> m : received) if (which.test(m)) return m;
            Thread.sleep(20);
        }
        throw new AssertionError("no such message within " + wait + "; received " + received);
    }

    static Predicate<Map<String, Object>> ofType(String type) {
        return m -> type.equals(m.get("type"));
    }

    /** Drops the TCP connection without a close frame. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    received.add(JSON.std.mapFrom(text.toString()));
                } catch (IOException e) {
                    received.add(Map.of("unreadable", text.toString()));
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
