package com.headcount.core.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.access.AccessDenied;
import com.headcount.core.access.Caller;
import com.headcount.core.api.Problem;
import com.headcount.core.messages.MessageTypes;
import com.headcount.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DashboardsTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
    final InMemoryDashboards stores = new InMemoryDashboards();
    final Map<String, Object> snapshot = Map.of("eventId", "gala", "overall", Map.of("attended", 7),
            "gates", Map.of("north", Map.of()), "alerts", List.of(), "lastUpdated", "2026-11-26T08:59:00Z");
    final TicketIssuer issuer = new TicketIssuer(stores, new SecureRandom(), clock);
    final Dashboards dashboards = new Dashboards(stores, stores,
            id -> id.equals("gala") ? Optional.of(snapshot) : Optional.empty(), clock);
    final Caller viewer = Caller.fromAuthorizerClaims(Map.of("sub", "ana", "roles", "[viewer]", "events", "[gala]"));

    @Test
    void aTicketLetsOneConnectionInOnceAndIsStoredOnlyAsItsHash() {
        TicketIssuer.Issued t = issuer.issue("gala", viewer);
        assertEquals(clock.instant().plus(TicketIssuer.LIFETIME), t.expiresAt());
        assertFalse(stores.tickets.containsKey(t.ticket()));
        assertTrue(stores.tickets.containsKey(TicketIssuer.hash(t.ticket())));

        var first = dashboards.connect("c1", t.ticket(), "gala", null);
        assertTrue(first.accepted());
        DashboardConnection c = stores.connections.get("c1");
        assertEquals("ana", c.subject());
        assertEquals(Sections.DEFAULT, c.sections());
        assertEquals(clock.instant().plus(Dashboards.CONNECTION_LIFETIME), c.expiresAt());

        var again = dashboards.connect("c2", t.ticket(), "gala", null);
        assertEquals(401, again.status());
        assertEquals("ticket_unknown", again.code());
        assertFalse(stores.connections.containsKey("c2"));
    }

    @Test
    void anExpiredTicketIsRefusedAndSpent() {
        TicketIssuer.Issued t = issuer.issue("gala", viewer);
        clock.advance(TicketIssuer.LIFETIME.plusMillis(1));
        var answer = dashboards.connect("c1", t.ticket(), "gala", null);
        assertEquals(401, answer.status());
        assertEquals("ticket_expired", answer.code());
        assertTrue(stores.tickets.isEmpty());
        assertTrue(stores.connections.isEmpty());
    }

    @Test
    void aTicketForAnotherEventIsRefusedAndSpent() {
        Caller both = Caller.fromAuthorizerClaims(Map.of("sub", "ana", "roles", "[viewer]", "events", "[gala fair]"));
        TicketIssuer.Issued t = issuer.issue("gala", both);
        var answer = dashboards.connect("c1", t.ticket(), "fair", null);
        assertEquals(403, answer.status());
        assertEquals("wrong_event", answer.code());
        assertEquals("ticket_unknown", dashboards.connect("c1", t.ticket(), "gala", null).code());
    }

    @Test
    void onlyViewersOfTheEventGetTickets() {
        assertThrows(AccessDenied.class, () -> issuer.issue("fair", viewer));
        assertTrue(stores.tickets.isEmpty());
    }

    @Test
    void connectRefusesWhatIsMissingOrUnknownWithoutSpendingTheTicket() {
        TicketIssuer.Issued t = issuer.issue("gala", viewer);
        assertEquals("ticket_missing", dashboards.connect("c1", null, "gala", null).code());
        assertEquals("event_missing", dashboards.connect("c1", t.ticket(), null, null).code());
        assertEquals("unknown_section", dashboards.connect("c1", t.ticket(), "gala", "overall,queues").code());
        var ok = dashboards.connect("c1", t.ticket(), "gala", "gates, hourly");
        assertTrue(ok.accepted());
        assertEquals(Set.of("gates", "hourly"), stores.connections.get("c1").sections());
    }

    @Test
    void subscribeAddsSectionsAndAnswersWithTheirFigures() {
        connect("c1");
        Map<String, Object> answer = dashboards.message("c1", "{\"action\":\"subscribe\",\"sections\":[\"gates\"]}");
        assertEquals(MessageTypes.SUBSCRIBED, answer.get("type"));
        assertEquals(List.of("overall", "gates", "alerts"), answer.get("sections"));
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) answer.get("statistics");
        assertEquals(Set.of("eventId", "overall", "gates", "alerts", "lastUpdated"), stats.keySet());
        assertEquals(Set.of("overall", "gates", "alerts"), stores.connections.get("c1").sections());
    }

    @Test
    void pingIsAnsweredAndAnythingElseGetsAnErrorNotADroppedConnection() {
        connect("c1");
        assertEquals(MessageTypes.PONG, dashboards.message("c1", "{\"action\":\"ping\"}").get("type"));
        assertEquals("unknown_action", dashboards.message("c1", "{\"action\":\"shout\"}").get("code"));
        assertEquals("malformed", dashboards.message("c1", "not json").get("code"));
        assertEquals("malformed", dashboards.message("c1", "[1,2]").get("code"));
        assertEquals("malformed", dashboards.message("c1", "").get("code"));
        assertEquals("malformed", dashboards.message("c1", "{\"action\":\"subscribe\",\"sections\":\"gates\"}").get("code"));
        assertEquals("unknown_section", dashboards.message("c1", "{\"action\":\"subscribe\",\"sections\":[\"queues\"]}").get("code"));
        assertEquals("too_large", dashboards.message("c1", "{\"action\":\"" + "x".repeat(5000) + "\"}").get("code"));
        assertEquals("not_connected", dashboards.message("zz", "{\"action\":\"subscribe\",\"sections\":[\"gates\"]}").get("code"));
        assertEquals(Sections.DEFAULT, stores.connections.get("c1").sections());
    }

    @Test
    void disconnectRemovesThatConnectionOnly() {
        connect("c1");
        connect("c2");
        dashboards.disconnect("c1");
        assertEquals(Set.of("c2"), stores.connections.keySet());
    }

    @Test
    void ticketsAreNotGuessableFromEachOther() {
        assertNotEquals(issuer.issue("gala", viewer).ticket(), issuer.issue("gala", viewer).ticket());
        assertEquals(43, issuer.issue("gala", viewer).ticket().length());
    }

    // issue 19 point 2: a viewer token in a loop
    @Test
    void ticketsAreRateLimitedPerSubjectAndPerEventWithA429Code() {
        var limits = new DashboardLimits(2, 3, 20, 2000);
        var capped = new TicketIssuer(stores, new SecureRandom(), clock, stores, limits);
        capped.issue("gala", viewer);
        capped.issue("gala", viewer);
        var refused = assertThrows(TooManyDashboards.class, () -> capped.issue("gala", viewer));
        assertEquals(TooManyDashboards.TOO_MANY_TICKETS, refused.code());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 60);
        var other = Caller.fromAuthorizerClaims(Map.of("sub", "bo", "roles", "[viewer]", "events", "[gala]"));
        capped.issue("gala", other);
        assertEquals(TooManyDashboards.TOO_MANY_TICKETS,
                assertThrows(TooManyDashboards.class, () -> capped.issue("gala", other)).code(), "the event's cap");
        clock.advance(java.time.Duration.ofMinutes(1));
        capped.issue("gala", viewer);
    }

    @Test
    void connectionsAreCappedPerSubjectAndPerEventAndDisconnectGivesThePlaceBack() {
        var limits = new DashboardLimits(1000, 1000, 2, 3);
        var capped = new Dashboards(stores, stores, id -> Optional.empty(), clock, stores, limits);
        var issuer = new TicketIssuer(stores, new SecureRandom(), clock, stores, limits);
        assertTrue(capped.connect("a1", issuer.issue("gala", viewer).ticket(), "gala", null).accepted());
        assertTrue(capped.connect("a2", issuer.issue("gala", viewer).ticket(), "gala", null).accepted());
        var third = capped.connect("a3", issuer.issue("gala", viewer).ticket(), "gala", null);
        assertEquals(429, third.status());
        assertEquals(TooManyDashboards.TOO_MANY_CONNECTIONS, third.code());
        assertFalse(stores.connections.containsKey("a3"));

        var bo = Caller.fromAuthorizerClaims(Map.of("sub", "bo", "roles", "[viewer]", "events", "[gala]"));
        assertTrue(capped.connect("b1", issuer.issue("gala", bo).ticket(), "gala", null).accepted());
        var eventFull = capped.connect("b2", issuer.issue("gala", bo).ticket(), "gala", null);
        assertEquals(429, eventFull.status(), "the event holds 3");

        capped.disconnect("a1");
        capped.disconnect("a1"); // API Gateway may call it twice: the place comes back once
        assertTrue(capped.connect("b3", issuer.issue("gala", bo).ticket(), "gala", null).accepted());
        assertEquals(429, capped.connect("b4", issuer.issue("gala", bo).ticket(), "gala", null).status());
    }

    // issue 19 point 8
    @Test
    void aConnectionEndsWhenTheTokenThatGotItsTicketExpires() {
        Instant tokenExpires = clock.instant().plus(java.time.Duration.ofMinutes(10));
        TicketIssuer.Issued t = issuer.issue("gala", viewer, tokenExpires);
        assertTrue(dashboards.connect("c1", t.ticket(), "gala", null).accepted());
        assertEquals(tokenExpires, stores.connections.get("c1").expiresAt());

        TicketIssuer.Issued almostDead = issuer.issue("gala", viewer, clock.instant().plusSeconds(5));
        assertEquals(clock.instant().plusSeconds(5), almostDead.expiresAt(), "nor does a ticket outlive its token");
    }

    private void connect(String id) {
        assertTrue(dashboards.connect(id, issuer.issue("gala", viewer).ticket(), "gala", null).accepted());
    }
}
