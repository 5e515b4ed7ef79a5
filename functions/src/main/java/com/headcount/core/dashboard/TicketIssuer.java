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

    public TicketIssuer(ConnectTickets tickets, SecureRandom random, Clock clock) {
        this.tickets = tickets;
        this.random = random;
        this.clock = clock;
    }

    /** A ticket handed out: its text (shown once, to the caller) and when it stops working. */
    public record Issued(String ticket, String eventId, Instant expiresAt) {}

    /** For a caller who may view the event. */
    public Issued issue(String eventId, Caller caller) {
        caller.require(Role.VIEWER, eventId);
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(LIFETIME);
        tickets.store(hash(ticket), new ConnectTicket(eventId, caller.subject(), expiresAt), expiresAt.plus(KEPT_AFTER_EXPIRY));
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
