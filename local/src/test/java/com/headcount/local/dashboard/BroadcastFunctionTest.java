package com.headcount.local.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.dashboard.DashboardConnection;
import com.headcount.core.dashboard.Sections;
import com.headcount.core.messages.MessageTypes;
import com.headcount.handlers.BroadcastFunction;
import com.headcount.handlers.DashboardWiring;
import com.headcount.local.ingest.KinesisEvents;
import com.headcount.local.lambda.LocalContext;
import com.headcount.local.testing.Emulators;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * BroadcastFunction with the sample record of events/, through the real management client to real WebSocket
 * connections on the local gateway: connections whose $disconnect never came are gone (410) and only they are
 * deleted; a connection whose post hangs does not keep the others from theirs.
 */
@ExtendWith(Emulators.Extension.class)
class BroadcastFunctionTest {

    static final Path SAMPLE = Path.of(System.getProperty("headcount.events.dir"), "statistics-updates-stats-updated.json");

    @Test
    void goneConnectionsAreDeletedAndOnlyThoseAndASlowOneDoesNotHoldUpTheOthers(Emulators emulators) throws Exception {
        try (var ws = new WebSocketHarness(emulators, Map.of("BROADCAST_POST_TIMEOUT", "PT2S"))) {
            List<WebSocketHarness.Connected> live = new ArrayList<>();
            for (int i = 0; i < 6; i++) live.add(ws.connect());
            WebSocketHarness.Connected slow = live.get(3);
            List<WebSocketHarness.Connected> others = new ArrayList<>(live);
            others.remove(slow);
            for (String gone : List.of("GoneOneAAAAAAA=", "GoneTwoAAAAAAA=")) {
                ws.connections.add(new DashboardConnection(gone, ws.eventId, "viewer-1", Sections.DEFAULT,
                        Instant.now(), Instant.now().plus(Duration.ofHours(2))));
            }

            AtomicBoolean othersFirst = new AtomicBoolean();
            String slowPath = "/@connections/" + URLEncoder.encode(slow.connectionId(), StandardCharsets.UTF_8);
            ExecutionInterceptor hangsForTheSlowOne = new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    if (!context.httpRequest().encodedPath().endsWith(slowPath)) return;
                    // held until every other dashboard has its update (the SDK's timeout interrupts this thread: the
                    // wait goes on regardless), then past the broadcaster's post timeout
                    othersFirst.compareAndSet(false, awaitOthers(others));
                    try {
                        Thread.sleep(Duration.ofSeconds(3));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            var function = new BroadcastFunction(DashboardWiring.broadcast(ws.clients(hangsForTheSlowOne), ws.settings,
                    ws.gateway.callbackUrl(), Clock.systemUTC()));
            function.handleRequest(KinesisEvents.of(List.of(sample(ws.eventId)), 1),
                    new LocalContext("BroadcastFunction", Duration.ofSeconds(30)));

            assertTrue(othersFirst.get(), "the others had their update while the slow one's post hung");
            for (var c : others) {
                Map<String, Object> update =
                        c.client().await(DashboardClient.ofType(MessageTypes.STATS_UPDATED), Duration.ofSeconds(1));
                Map<?, ?> statistics = (Map<?, ?>) update.get("statistics");
                assertEquals(ws.eventId, update.get("eventId"));
                assertEquals(Set.of("eventId", "version", "overall", "alerts", "lastUpdated"), statistics.keySet(),
                        "only the default sections");
                assertEquals(1021, ((Map<?, ?>) statistics.get("overall")).get("attended"));
            }
            Set<String> stored = ws.ids();
            assertEquals(live.stream().map(WebSocketHarness.Connected::connectionId).collect(java.util.stream.Collectors.toSet()),
                    stored, "the gone ones are deleted, the slow one and the others kept");
        }
    }

    private static boolean awaitOthers(List<WebSocketHarness.Connected> others) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean interrupted = false;
        try {
            while (System.nanoTime() < until) {
                if (others.stream().allMatch(
                        c -> c.client().received.stream().anyMatch(DashboardClient.ofType(MessageTypes.STATS_UPDATED)))) {
                    return true;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return false;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The sample stats.updated record, for this test's event. */
    static byte[] sample(String eventId) throws Exception {
        Map<String, Object> record = JSON.std.mapFrom(Files.readString(SAMPLE));
        record.put("eventId", eventId);
        @SuppressWarnings("unchecked")
        Map<String, Object> statistics = (Map<String, Object>) record.get("statistics");
        statistics.put("eventId", eventId);
        return JSON.std.asBytes(record);
    }
}
