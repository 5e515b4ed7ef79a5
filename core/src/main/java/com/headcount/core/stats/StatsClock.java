package com.headcount.core.stats;

import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The statistics' clock: once a minute, every running event is evaluated again without waiting for a scan, so
 * silence is noticed. Alert conditions raise, clear and re-arm with the same episode rules as on a batch; load,
 * wait and trend decay; and `stats.updated` goes out for every running event that has statistics.
 *
 * <p>Publishing on every tick, moved or not, is what makes a lost publication impossible rather than unlikely: a
 * batch's publication that failed after its write, or two publications that reached the stream in the other order
 * than they were read, are put right within a minute, with nothing to remember between ticks. Alerts waiting in the
 * outbox (a delivery that failed) are delivered on every tick, whether or not the tick wrote.
 *
 * <p>Per running event and tick: one strongly consistent Query of its statistics partition, one Query of its gates
 * and one `stats.updated`; when an alert state changed, one conditional write of the overall item; a raised alert
 * adds its history item, its `alert.raised` and the outbox update. Finding the running events is one Query of an
 * index for all of them; an ended event costs nothing.
 */
public final class StatsClock {

    /** Statistics keep moving after the last scan is taken, until the longest window has slid past it. */
    public static final Duration SETTLING = Duration.ofMinutes(Figures.KEPT_MINUTES);

    private final EventDirectory events;
    private final StatisticsStore store;
    private final AlertOutbox outbox;
    private final Publication publication;
    private final List<AlertCondition> conditions;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public StatsClock(EventDirectory events, StatisticsStore store, AlertOutbox outbox, Publication publication,
                      List<AlertCondition> conditions, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.events = events;
        this.store = store;
        this.outbox = outbox;
        this.publication = publication;
        this.conditions = List.copyOf(conditions);
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Doors open: the first scan an event accepts. */
    public static Instant runsFrom(AttendanceEvent event) {
        return event.start().minus(AttendanceEvent.SCAN_MARGIN);
    }

    /** The last scan an event accepts, plus the time its windows take to empty. */
    public static Instant runsUntil(AttendanceEvent event) {
        return event.end().plus(AttendanceEvent.SCAN_MARGIN).plus(SETTLING);
    }

    /** What a tick did, for the handler's log line; {@code failed} names events whose evaluation threw. */
    public record TickResult(int running, int written, int alertsRaised, int published, Map<String, String> failed) {}

    public TickResult tick() {
        Instant now = clock.instant();
        List<AttendanceEvent> running = events.running(now);
        int written = 0, raised = 0, published = 0;
        Map<String, String> failed = new LinkedHashMap<>();
        for (AttendanceEvent event : running) {
            try {
                EventTick t = tick(event);
                written += t.written ? 1 : 0;
                raised += t.raised;
                published += t.published ? 1 : 0;
            } catch (RuntimeException e) {
                // one event's trouble must not keep the others' alerts from being evaluated
                failed.put(event.eventId(), e.toString());
            }
        }
        return new TickResult(running.size(), written, raised, published, failed);
    }

    private record EventTick(boolean written, int raised, boolean published) {}

    private EventTick tick(AttendanceEvent event) {
        String eventId = event.eventId();
        List<Gate> gates = events.gates(eventId);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            EventStatistics stats = store.everything(eventId);
            EventAggregates aggs = stats.aggregates();
            long active = aggs.activeParticipants != null ? aggs.activeParticipants : store.activeParticipants(eventId);
            List<Alert> raised = AlertRules.evaluate(conditions, new AlertCondition.Context(event, gates, aggs, active,
                    now, Figures.eventNow(aggs.overall, now)));
            boolean statesChanged = aggs.overall.changed();
            if (statesChanged && !store.saveOverall(eventId, aggs)) {
                StatsUpdater.afterConflict(attempt, "statistics of " + eventId, sleeper, random);
                continue;
            }
            // the snapshot shows the outbox's alerts with the history, so it can be built before they are delivered
            boolean exists = aggs.overall.version() > 0 || statesChanged;
            Map<String, Object> snapshot = exists ? StatisticsSnapshot.document(event, gates, active, stats, now) : null;
            outbox.deliver(eventId, aggs.outbox.values());
            if (exists) publication.publish(eventId, snapshot, now);
            return new EventTick(statesChanged, raised.size(), exists);
        }
    }
}
