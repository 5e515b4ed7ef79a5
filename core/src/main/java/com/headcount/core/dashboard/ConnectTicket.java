package com.headcount.core.dashboard;

import java.time.Instant;
import java.util.Objects;

/**
 * What a connect ticket stands for: one dashboard connection to one event, for the holder of the token that asked for
 * it, until {@code expiresAt}. The ticket's text is never stored, only its hash ({@link Dashboards#hash}).
 *
 * @param authorisedUntil when the token that asked for it expires (null: not known): the connection ends then too
 */
public record ConnectTicket(String eventId, String subject, Instant expiresAt, Instant authorisedUntil) {

    public ConnectTicket(String eventId, String subject, Instant expiresAt) {
        this(eventId, subject, expiresAt, null);
    }

    public ConnectTicket {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
