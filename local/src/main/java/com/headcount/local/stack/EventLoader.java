package com.headcount.local.stack;

import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.core.reference.ReferenceKey;
import com.headcount.device.simulator.CrowdScenario;
import com.headcount.device.simulator.CrowdSettings;
import com.headcount.device.simulator.GateSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Puts events, gates and participants into the reference table, as an organiser's import would. Idempotent. */
public final class EventLoader {

    /** The event a newcomer plays with by hand (GateMain, the HTTP API): it is open from an hour ago for a day. */
    public static final String DEMO_EVENT = "demo";

    private final DynamoReferenceData reference;

    public EventLoader(DynamoDbClient dynamo, String referenceTable) {
        this.reference = new DynamoReferenceData(dynamo, referenceTable);
    }

    /**
     * The demo event: the simulator's gates, participants P-00001..P-01000 (every 40th cancelled). Its times move to
     * today on every start, so it always takes scans; participants are written only the first time.
     */
    public void loadDemo(Instant now) {
        boolean known = reference.lookup(List.of(new ReferenceKey.OfEvent(DEMO_EVENT))).event(DEMO_EVENT).isPresent();
        Instant start = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        reference.save(new AttendanceEvent(DEMO_EVENT, "Headcount demo day", start, start.plus(Duration.ofHours(24)),
                ZoneId.of("Europe/Berlin"), AttendanceEvent.DEFAULT_CLOCK_SKEW_TOLERANCE,
                AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD, AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE));
        for (GateSpec gate : CrowdSettings.defaults(0, 1).gates()) {
            reference.save(new Gate(DEMO_EVENT, gate.gateId(), gate.name(), true, gate.capacityPerMinute()));
        }
        if (!known) {
            reference.saveAll(java.util.stream.IntStream.rangeClosed(1, 1000)
                    .mapToObj(i -> new Participant(DEMO_EVENT, String.format("P-%05d", i), i % 40 == 0 ? "cancelled" : "active"))
                    .toList());
        }
    }

    /** A simulated event exactly as the simulator knows it. */
    public void load(CrowdScenario scenario) {
        // The event last: once it exists the statistics clock may count its active participants, and these direct
        // writes (unlike the API's import) do not mark that count stale, so a count taken half way would stay.
        for (GateSpec gate : scenario.gates()) {
            reference.save(new Gate(scenario.eventId(), gate.gateId(), gate.name(), true, gate.capacityPerMinute()));
        }
        reference.saveAll(scenario.participants().stream()
                .map(p -> new Participant(scenario.eventId(), p.participantId(), p.active() ? "active" : "cancelled"))
                .toList());
        reference.save(new AttendanceEvent(scenario.eventId(), "Simulated " + scenario.eventId(), scenario.eventStart(),
                scenario.eventEnd(), scenario.timeZone(), AttendanceEvent.DEFAULT_CLOCK_SKEW_TOLERANCE,
                AttendanceEvent.DEFAULT_OVERLOAD_THRESHOLD, AttendanceEvent.DEFAULT_LOW_ATTENDANCE_RATE));
    }
}
