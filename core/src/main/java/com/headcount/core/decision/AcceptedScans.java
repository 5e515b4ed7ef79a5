package com.headcount.core.decision;

import java.util.List;

/** The `attendance-recorded` stream: accepted scans, for the statistics. */
public interface AcceptedScans {

    /**
     * Publishes the accepted outcomes in one request where possible.
     *
     * @return the outcomes that could not be published (to be retried by redelivering their scans)
     * @throws RuntimeException when the stream cannot be reached at all
     */
    List<Outcome> publish(List<Outcome> accepted);
}
