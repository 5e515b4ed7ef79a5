package com.headcount.core.decision;

import java.util.Collection;
import java.util.Map;

/** Where every outcome is kept. The first outcome stored for a scan id is the one that counts. */
public interface OutcomeLog {

    /** Outcomes already stored for these scans (a redelivery, a replay): one batched read. */
    Map<ScanRef, Outcome> find(Collection<ScanRef> scans);

    /**
     * Stores the outcome unless one is already stored for the same scan.
     *
     * @return the stored outcome: the given one if it was first, otherwise the earlier one
     */
    Outcome recordFirst(Outcome outcome);

    /**
     * Stores outcomes of messages refused before their content could be trusted (malformed, or for another gate than
     * their topic's), keyed by their source: the same message always yields the same one, and it takes no scan id.
     */
    void recordRefused(Collection<Outcome> outcomes);
}
