package com.headcount.bench.broadcast;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.core.access.Caller;
import com.headcount.handlers.BroadcastFunction;
import com.headcount.handlers.DashboardConnectFunction;
import com.headcount.handlers.DashboardDisconnectFunction;
import com.headcount.handlers.DashboardMessageFunction;
import com.headcount.handlers.DashboardSettings;
import com.headcount.handlers.DashboardWiring;
import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.LocalAws;
import com.headcount.local.gateway.LocalWebSocketGateway;
import com.headcount.local.lambda.LocalContext;
import com.headcount.local.stack.LocalResources;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/bench broadcast}: one {@code stats.updated} to N dashboards. The real BroadcastFunction (its connection
 * Query, posts through the real management client, N in flight) against N real WebSocket connections on the local
 * gateway, on dynalite. Measured per round: the function's own time, and the time until the last dashboard has the
 * message in hand.
 */
public final class BroadcastBenchmark implements Benchmark {

    @Override
    public String name() {
        return "broadcast";
    }

    @Override
    public String summary() {
        return "one stats.updated to N WebSocket dashboards: the broadcaster's time and the last dashboard's";
    }

    @Override
    public String usage() {
        return """
                bin/bench broadcast [options]
                  --connections N   dashboards connected to the event (1000)
                  --in-flight N     posts at once (BROADCAST_POSTS_IN_FLIGHT, 64)
                  --rounds N        measured broadcasts (10), after 3 unmeasured ones""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(args, Map.of("connections", "1000", "in-flight", "64", "rounds", "10"));
        int n = o.integer("connections");
        int rounds = o.integer("rounds");
        Path data = Files.createTempDirectory("headcount-broadcast-");
        var settings = DashboardSettings.from(Map.of("BROADCAST_POSTS_IN_FLIGHT", o.text("in-flight")));
        out.printf("broadcast: %d connections, %s posts in flight, %d rounds; %d cores, Java %s, %s%n", n,
                o.text("in-flight"), rounds, Runtime.getRuntime().availableProcessors(), Runtime.version(), Instant.now());
        try (Dynalite dynalite = Dynalite.builder().dataDirectory(data.resolve("dynamodb")).logDirectory(data.resolve("logs")).start()) {
            var clients = LocalAws.clients(dynalite.endpoint(), dynalite.endpoint());
            var dynamo = clients.dynamoDb();
            LocalResources.createTables(dynamo, HeadcountSettings.defaults());
            Clock clock = Clock.systemUTC();
            var feed = DashboardWiring.dashboards(dynamo, settings, clock);
            var tickets = DashboardWiring.tickets(dynamo, settings.ticketsTable(), clock);
            String eventId = "bench-" + System.currentTimeMillis();
            Caller viewer = Caller.fromAuthorizerClaims(Map.of("sub", "bench", "roles", "[viewer]", "events", "[" + eventId + "]"));
            try (var gateway = LocalWebSocketGateway.start(0, new LocalWebSocketGateway.Routes(new DashboardConnectFunction(feed),
                    new DashboardDisconnectFunction(feed), new DashboardMessageFunction(feed)), clock)) {
                HttpClient http = HttpClient.newHttpClient();
                List<AtomicInteger> received = new ArrayList<>();
                long connecting = System.nanoTime();
                List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    AtomicInteger count = new AtomicInteger();
                    received.add(count);
                    URI uri = URI.create(gateway.url() + "?eventId=" + eventId + "&ticket=" + tickets.issue(eventId, viewer).ticket());
                    sockets.add(http.newWebSocketBuilder().buildAsync(uri, new Counting(count)));
                    if (sockets.size() % 50 == 0) CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).join();
                }
                CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).join();
                out.printf("connected %d dashboards in %.1f s%n", gateway.openConnections(), (System.nanoTime() - connecting) / 1e9);

                var function = new BroadcastFunction(DashboardWiring.broadcast(clients, settings, gateway.callbackUrl(), clock));
                byte[] record = record(eventId);
                List<Double> functionMs = new ArrayList<>();
                List<Double> lastMs = new ArrayList<>();
                boolean complete = true;
                for (int round = 1; round <= rounds + 3; round++) {
                    long t0 = System.nanoTime();
                    function.handleRequest(event(record, round), new LocalContext("BroadcastFunction", Duration.ofMinutes(1)));
                    long t1 = System.nanoTime();
                    int expected = round;
                    long until = t1 + Duration.ofSeconds(30).toNanos();
                    while (received.stream().anyMatch(c -> c.get() < expected) && System.nanoTime() < until) Thread.onSpinWait();
                    long t2 = System.nanoTime();
                    boolean all = received.stream().allMatch(c -> c.get() >= expected);
                    complete &= all;
                    if (round > 3) {
                        functionMs.add((t1 - t0) / 1e6);
                        lastMs.add((t2 - t0) / 1e6);
                    }
                }
                out.printf("%-34s %8s %8s %8s%n", "", "median", "min", "max");
                row(out, "BroadcastFunction (ms)", functionMs);
                row(out, "until the last dashboard has it (ms)", lastMs);
                out.println(complete ? "every dashboard received every message" : "SOME DASHBOARDS MISSED A MESSAGE");
                sockets.forEach(s -> s.join().abort());
                return complete ? 0 : 1;
            }
        }
    }

    private static void row(PrintStream out, String name, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        out.printf("%-34s %8.0f %8.0f %8.0f%n", name, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /** The sample stats.updated of events/, for the benchmark's event. */
    private static byte[] record(String eventId) throws Exception {
        Path sample = Path.of(System.getProperty("headcount.root", "."), "events", "statistics-updates-stats-updated.json");
        Map<String, Object> m = JSON.std.mapFrom(Files.readString(sample));
        m.put("eventId", eventId);
        @SuppressWarnings("unchecked")
        Map<String, Object> statistics = (Map<String, Object>) m.get("statistics");
        statistics.put("eventId", eventId);
        return JSON.std.asBytes(m);
    }

    private static KinesisEvent event(byte[] data, long sequence) {
        var kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setPartitionKey("bench");
        kinesis.setSequenceNumber(Long.toString(sequence));
        kinesis.setApproximateArrivalTimestamp(Date.from(Instant.now()));
        var record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:" + sequence);
        var event = new KinesisEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** Counts whole text messages. */
    private record Counting(AtomicInteger count) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (last) count.incrementAndGet();
            socket.request(1);
            return null;
        }
    }
}
