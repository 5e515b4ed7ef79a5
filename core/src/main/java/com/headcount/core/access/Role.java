package com.headcount.core.access;

import java.util.Optional;

/** What a token's holder may do within the events it names. Each role includes the ones below it. */
public enum Role {
    VIEWER("viewer", 1),
    GATE_STAFF("gate-staff", 2),
    ORGANIZER("organizer", 3);

    private final String claim;
    private final int rank;

    Role(String claim, int rank) {
        this.claim = claim;
        this.rank = rank;
    }

    public String claim() {
        return claim;
    }

    public boolean includes(Role other) {
        return rank >= other.rank;
    }

    public static Optional<Role> fromClaim(String value) {
        for (Role r : values()) if (r.claim.equals(value)) return Optional.of(r);
        return Optional.empty();
    }
}
