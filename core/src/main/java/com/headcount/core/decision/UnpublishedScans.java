package com.headcount.core.decision;

import java.util.List;

/**
 * Accepted scans that are stored but could not be put on `attendance-recorded` when they were decided (a stream that
 * throttled or failed). The HTTP API has answered them already, so they are set aside here and published later by
 * {@link Republisher}; the streamed path needs none of this, Lambda delivers its batch again.
 */
public interface UnpublishedScans {

    /** Notes the outcomes as waiting to be published. */
    void setAside(List<Outcome> accepted);

    /** The oldest waiting outcomes, at most {@code limit}. */
    List<Outcome> waiting(int limit);

    /** Clears the note of outcomes now published. */
    void published(List<Outcome> outcomes);
}
