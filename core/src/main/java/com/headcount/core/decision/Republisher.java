package com.headcount.core.decision;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes what was set aside as {@link UnpublishedScans}, oldest first, until none is left or the stream still
 * refuses. Publishing twice is harmless (the statistics count a scan id once), so a crash between publishing and
 * clearing the note only repeats a publication.
 */
public final class Republisher {

    /** What one run did. */
    public record Run(int published, int stillWaiting) {}

    static final int PAGE = 500;
    /** The note is read through an index that lags a little: a run stops when it sees only what it published. */
    static final int MAX_PAGES = 20;

    private final UnpublishedScans waiting;
    private final AcceptedScans stream;

    public Republisher(UnpublishedScans waiting, AcceptedScans stream) {
        this.waiting = waiting;
        this.stream = stream;
    }

    public Run run() {
        Set<ScanRef> seen = new HashSet<>();
        int published = 0;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            List<Outcome> page = new ArrayList<>(waiting.waiting(PAGE));
            page.removeIf(o -> !seen.add(o.ref()));
            if (page.isEmpty()) break;
            List<Outcome> refused = stream.publish(page);
            List<Outcome> done = new ArrayList<>(page);
            done.removeAll(refused);
            waiting.published(done);
            published += done.size();
            if (!refused.isEmpty()) return new Run(published, refused.size());
        }
        return new Run(published, 0);
    }
}
