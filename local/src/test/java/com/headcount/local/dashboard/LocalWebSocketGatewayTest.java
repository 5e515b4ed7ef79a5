package com.headcount.local.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.messages.MessageTypes;
import com.headcount.local.testing.Emulators;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * The local gateway as API Gateway behaves: the real $connect decides the handshake, $default answers the sender, the
 * real management client posts, reads and closes connections, and a closed connection is Gone (410).
 */
@ExtendWith(Emulators.Extension.class)
class LocalWebSocketGatewayTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aRefusedConnectRefusesTheHandshakeWithTheFunctionsStatus(Emulators emulators) {
        try (var ws = new WebSocketHarness(emulators, Map.of())) {
            var refused = assertThrows(DashboardClient.Refused.class,
                    () -> DashboardClient.connect(ws.gateway.url(), ws.eventId, "no-such-ticket"));
            assertEquals(401, refused.status);
            assertEquals(0, ws.gateway.openConnections());
        }
    }

    @Test
    void messagesAreAnsweredToTheSenderAndTheManagementApiWorksWithTheRealClient(Emulators emulators) throws Exception {
        try (var ws = new WebSocketHarness(emulators, Map.of())) {
            var c = ws.connect();
            c.client().send("{\"action\":\"ping\"}");
            c.client().await(DashboardClient.ofType(MessageTypes.PONG), WAIT);
            c.client().send("{\"action\":\"dance\"}");
            assertEquals("unknown_action",
                    c.client().await(DashboardClient.ofType(MessageTypes.ERROR), WAIT).get("code"));

            ApiGatewayManagementApiClient management = ws.clients().connections(ws.gateway.callbackUrl(), Duration.ofSeconds(5));
            management.postToConnection(b -> b.connectionId(c.connectionId()).data(SdkBytes.fromUtf8String("{\"type\":\"hello\"}")));
            c.client().await(DashboardClient.ofType("hello"), WAIT);
            var info = management.getConnection(b -> b.connectionId(c.connectionId()));
            assertTrue(info.connectedAt() != null && info.identity().sourceIp().equals("127.0.0.1"), info.toString());

            management.deleteConnection(b -> b.connectionId(c.connectionId()));
            assertEquals(1000, c.client().closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThrows(GoneException.class, () -> management.postToConnection(b -> b.connectionId(c.connectionId())
                    .data(SdkBytes.fromUtf8String("{}"))));
            // $disconnect ran: the item is gone
            long until = System.nanoTime() + WAIT.toNanos();
            while (!ws.ids().isEmpty() && System.nanoTime() < until) Thread.sleep(20);
            assertTrue(ws.ids().isEmpty(), "the connection's item was removed on $disconnect");
        }
    }
}
