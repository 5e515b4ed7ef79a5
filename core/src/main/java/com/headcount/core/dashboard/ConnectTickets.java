package com.headcount.core.dashboard;

import java.time.Instant;
import java.util.Optional;

/** Where connect tickets wait for their one use (DynamoDB in AWS). Keys are ticket hashes. */
public interface ConnectTickets {

    /** Stores a new ticket; it disappears some time after {@code ticket.expiresAt()} (a TTL). */
    void store(String hash, ConnectTicket ticket, Instant removeAfter);

    /**
     * Takes the ticket out, whatever its expiry, and returns what it was: so of two connects with one ticket exactly one
     * gets it. Empty when there is no such ticket (never issued, or used already).
     */
    Optional<ConnectTicket> take(String hash);
}
