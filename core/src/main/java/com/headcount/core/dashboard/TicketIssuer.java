package com.headcount.core.dashboard;

import com.headcount.core.access.Caller;
import com.headcount.core.access.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Connect tickets for the dashboards' WebSocket API. A browser cannot set headers on a WebSocket, and a token in a URL
 * ends up in logs and histories; so the dashboard asks the HTTP API (token in a header) for a ticket: 256 random bits,
 * good for {@link #LIFETIME}, for one event, usable once ({@link Dashboards#connect}). The store keeps its SHA-256
 * only: whoever reads the table cannot connect with what is in it.
 */
public final class TicketIssuer {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** The table's TTL removes items some time after this; expiry is checked when a ticket is taken. */
    static final Duration KEPT_AFTER_EXPIRY = Duration.ofHours(1);
    static final int TICKET_BYTES = 32;

    private final ConnectTickets tickets;
    private final SecureRandom random;
    private final Clock clock;
    private final Quotas quotas;
    private final DashboardLimits limits;

    public TicketIssuer(ConnectTickets tickets, SecureRandom random, Clock clock) {
        this(tickets, random, clock, Quotas.UNLIMITED, DashboardLimits.DEFAULT);
    }

    public TicketIssuer(ConnectTickets tickets, SecureRandom random, Clock clock, Quotas quotas, DashboardLimits limits) {
        this.tickets = tickets;
        this.random = random;
        this.clock = clock;
        this.quotas = quotas;
        this.limits = limits;
    }

    /** A ticket handed out: its text (shown once, to the caller) and when it stops working. */
    public record Issued(String ticket, String eventId, Instant expiresAt) {}

    /** For a caller who may view the event, with a token of unknown expiry. */
    public Issued issue(String eventId, Caller caller) {
        return issue(eventId, caller, null);
    }

    /**
     * For a caller who may view the event, within the subject's and the event's ticket rate.
     *
     * @param tokenExpiresAt the token's {@code exp} (null: unknown): the connection it opens ends then too
     * @throws TooManyDashboards when a rate is reached (the count is per minute)
     */
    public Issued issue(String eventId, Caller caller, Instant tokenExpiresAt) {
        caller.require(Role.VIEWER, eventId);
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        Instant minuteEnds = Instant.ofEpochSecond((minute + 1) * 60);
        long retryAfter = Math.max(1, Duration.between(now, minuteEnds).toSeconds());
        if (!quotas.take(DashboardLimits.ticketsOfSubject(caller.subject(), minute), limits.ticketsPerSubjectPerMinute(),
                minuteEnds.plus(KEPT_AFTER_EXPIRY))) {
            throw new TooManyDashboards(TooManyDashboards.TOO_MANY_TICKETS, "at most "
                    + limits.ticketsPerSubjectPerMinute() + " dashboard tickets a minute per token subject", retryAfter);
        }
        if (!quotas.take(DashboardLimits.ticketsOfEvent(eventId, minute), limits.ticketsPerEventPerMinute(),
                minuteEnds.plus(KEPT_AFTER_EXPIRY))) {
            throw new TooManyDashboards(TooManyDashboards.TOO_MANY_TICKETS, "at most "
                    + limits.ticketsPerEventPerMinute() + " dashboard tickets a minute per event", retryAfter);
        }
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(LIFETIME);
        if (tokenExpiresAt != null && tokenExpiresAt.isBefore(expiresAt)) expiresAt = tokenExpiresAt;
        tickets.store(hash(ticket), new ConnectTicket(eventId, caller.subject(), expiresAt, tokenExpiresAt),
                expiresAt.plus(KEPT_AFTER_EXPIRY));
        return new Issued(ticket, eventId, expiresAt);
    }

    public static String hash(String ticket) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
