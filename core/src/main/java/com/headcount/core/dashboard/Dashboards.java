package com.headcount.core.dashboard;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.scan.IdRule;
import com.headcount.core.stats.StatisticsView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the dashboards' WebSocket routes do: {@code $connect} (with a ticket from {@link TicketIssuer}),
 * {@code $disconnect} and {@code $default}.
 *
 * <p>{@code $connect} first refuses a request that cannot be read (no ticket, no event id, unknown sections) without
 * spending its ticket; then it takes the ticket from the store before checking it, so a ticket is good for one try
 * whatever its outcome, and lets the connection in only when the ticket has not expired and names the event asked for.
 */
public final class Dashboards {

    /** API Gateway closes a WebSocket connection after two hours; its item may go then. */
    public static final Duration CONNECTION_LIFETIME = Duration.ofHours(2);
    static final int MAX_MESSAGE_CHARS = 4096;

    private final ConnectTickets tickets;
    private final Connections connections;
    private final StatisticsView statistics;
    private final Clock clock;
    private final Quotas quotas;
    private final DashboardLimits limits;

    public Dashboards(ConnectTickets tickets, Connections connections, StatisticsView statistics, Clock clock) {
        this(tickets, connections, statistics, clock, Quotas.UNLIMITED, DashboardLimits.DEFAULT);
    }

    public Dashboards(ConnectTickets tickets, Connections connections, StatisticsView statistics, Clock clock,
                      Quotas quotas, DashboardLimits limits) {
        this.tickets = tickets;
        this.connections = connections;
        this.statistics = statistics;
        this.clock = clock;
        this.quotas = quotas;
        this.limits = limits;
    }

    /** What {@code $connect} answers: 200 lets the connection in; anything else refuses it with the reason. */
    public record ConnectAnswer(int status, String code, String message) {
        public boolean accepted() {
            return status == 200;
        }
    }

    /**
     * @param ticket   the {@code ticket} query parameter
     * @param eventId  the {@code eventId} query parameter: the event the dashboard asks for
     * @param sections the optional {@code sections} query parameter (comma-separated); {@link Sections#DEFAULT} if null
     */
    public ConnectAnswer connect(String connectionId, String ticket, String eventId, String sections) {
        if (ticket == null || ticket.isBlank()) return refuse(401, "ticket_missing", "no ticket: ask POST /api/v1/events/{eventId}/dashboard-tickets for one");
        if (eventId == null || !IdRule.valid(eventId)) return refuse(400, "event_missing", "eventId: missing or not an id");
        Set<String> wanted = Sections.DEFAULT;
        if (sections != null && !sections.isBlank()) {
            List<String> names = Arrays.stream(sections.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            List<String> unknown = Sections.unknown(names);
            if (!unknown.isEmpty()) return refuse(400, "unknown_section", "sections: unknown " + unknown + "; known " + Sections.ALL);
            wanted = Set.copyOf(names);
        }
        // taken before it is checked: a ticket is good for one try, whatever its outcome
        Optional<ConnectTicket> found = tickets.take(TicketIssuer.hash(ticket));
        Instant now = clock.instant();
        if (found.isEmpty()) return refuse(401, "ticket_unknown", "ticket unknown or already used");
        ConnectTicket t = found.get();
        if (now.isAfter(t.expiresAt())) return refuse(401, "ticket_expired", "ticket expired at " + t.expiresAt());
        if (!t.eventId().equals(eventId)) return refuse(403, "wrong_event", "the ticket is for another event");
        Instant expiresAt = now.plus(CONNECTION_LIFETIME);
        if (t.authorisedUntil() != null && t.authorisedUntil().isBefore(expiresAt)) expiresAt = t.authorisedUntil();
        String subject = t.subject() == null ? "unknown" : t.subject();
        Instant countsKept = DashboardLimits.connectionCountsKeptUntil(now);
        if (!quotas.take(DashboardLimits.connectionsOfSubject(subject), limits.connectionsPerSubject(), countsKept)) {
            return refuse(429, TooManyDashboards.TOO_MANY_CONNECTIONS, "at most " + limits.connectionsPerSubject()
                    + " dashboard connections per token subject: close one first");
        }
        if (!quotas.take(DashboardLimits.connectionsOfEvent(eventId), limits.connectionsPerEvent(), countsKept)) {
            quotas.release(DashboardLimits.connectionsOfSubject(subject));
            return refuse(429, TooManyDashboards.TOO_MANY_CONNECTIONS, "at most " + limits.connectionsPerEvent()
                    + " dashboard connections per event");
        }
        connections.add(new DashboardConnection(connectionId, eventId, t.subject(), wanted, now, expiresAt));
        return new ConnectAnswer(200, "connected", "connected to " + eventId);
    }

    public void disconnect(String connectionId) {
        connections.remove(connectionId).ifPresent(c -> release(quotas, c));
    }

    /** Gives a removed connection's places back: called by whoever removed it, so exactly once. */
    static void release(Quotas quotas, DashboardConnection c) {
        quotas.release(DashboardLimits.connectionsOfSubject(c.subject() == null ? "unknown" : c.subject()));
        quotas.release(DashboardLimits.connectionsOfEvent(c.eventId()));
    }

    /**
     * Answers one message from a dashboard ({@code $default}): {@code {"action":"subscribe","sections":[...]}} adds
     * sections and answers with their current figures; {@code {"action":"ping"}} answers {@code pong}. Anything else
     * gets an {@code error} message with a code and the connection stays open.
     */
    public Map<String, Object> message(String connectionId, String body) {
        Map<String, Object> request;
        try {
            if (body == null || body.isBlank()) return error("malformed", "empty message; send {\"action\":\"ping\"}");
            if (body.length() > MAX_MESSAGE_CHARS) return error("too_large", "messages are at most " + MAX_MESSAGE_CHARS + " characters");
            Object parsed = JSON.std.anyFrom(body);
            if (!(parsed instanceof Map<?, ?> map)) return error("malformed", "expected a JSON object");
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            request = fields;
        } catch (IOException | RuntimeException e) {
            return error("malformed", "not valid JSON");
        }
        Object action = request.get("action");
        if ("ping".equals(action)) {
            Map<String, Object> pong = new LinkedHashMap<>();
            pong.put("type", MessageTypes.PONG);
            pong.put("at", clock.instant().toString());
            return pong;
        }
        if ("subscribe".equals(action)) return subscribe(connectionId, request.get("sections"));
        return error("unknown_action", "action: expected \"subscribe\" or \"ping\"");
    }

    private Map<String, Object> subscribe(String connectionId, Object sections) {
        if (!(sections instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(s -> s instanceof String)) {
            return error("malformed", "sections: expected a non-empty list of names out of " + Sections.ALL);
        }
        List<String> names = new ArrayList<>();
        for (Object s : list) names.add((String) s);
        List<String> unknown = Sections.unknown(names);
        if (!unknown.isEmpty()) return error("unknown_section", "sections: unknown " + unknown + "; known " + Sections.ALL);
        Optional<DashboardConnection> updated = connections.subscribe(connectionId, Set.copyOf(names));
        if (updated.isEmpty()) return error("not_connected", "this connection is not known (expired?): connect again");
        DashboardConnection c = updated.get();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("type", MessageTypes.SUBSCRIBED);
        answer.put("eventId", c.eventId());
        answer.put("sections", Sections.ALL.stream().filter(c.sections()::contains).toList());
        // the figures as they are now, so a dashboard that just connected has something to show before the next update
        answer.put("statistics", statistics.snapshot(c.eventId()).map(s -> Sections.only(s, c.sections())).orElse(null));
        return answer;
    }

    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", MessageTypes.ERROR);
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    private static ConnectAnswer refuse(int status, String code, String message) {
        return new ConnectAnswer(status, code, message);
    }

    public static String json(Map<String, Object> message) {
        try {
            return JSON.std.asString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
