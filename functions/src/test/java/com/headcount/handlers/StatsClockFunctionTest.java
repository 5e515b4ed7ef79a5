package com.headcount.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.AlertOutbox;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.stats.AlertRules;
import com.headcount.core.stats.EventDirectory;
import com.headcount.core.stats.InMemoryStatisticsStore;
import com.headcount.core.stats.Publication;
import com.headcount.core.stats.StatsClock;
import com.headcount.testing.Scans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The clock's handler on the sample schedule event: the input is ignored, a failing event fails the tick loudly. */
class StatsClockFunctionTest {

    static Map<String, Object> schedule() throws IOException {
        return JSON.std.mapFrom(Files.readString(Path.of("..", "events", "lambda", "stats-clock-schedule.json")));
    }

    static StatsClockFunction function(EventDirectory directory, InMemoryStatisticsStore store) {
        Clock clock = Clock.fixed(Scans.START.plus(Duration.ofHours(5)), ZoneOffset.UTC);
        return new StatsClockFunction(new StatsClock(directory, store, new AlertOutbox(store, List.of()),
                Publication.none(), AlertRules.STANDARD, clock, d -> {}, new Random(1)));
    }

    static EventDirectory directory(List<AttendanceEvent> running) {
        return new EventDirectory() {
            @Override
            public List<AttendanceEvent> running(Instant now) {
                return running;
            }

            @Override
            public List<Gate> gates(String eventId) {
                if (eventId.equals("broken")) throw new IllegalStateException("injected: gates unreadable");
                return List.of();
            }
        };
    }

    @Test
    void aTickReportsWhatItDidAndRaisesWhatSilenceMeans() throws IOException {
        var store = new InMemoryStatisticsStore();
        List<String> log = new ArrayList<>();
        var out = function(directory(List.of(Scans.EVENT_SETTINGS)), store).handleRequest(schedule(),
                StatsFunctionTest.context(log));
        assertEquals(1, out.get("running"));
        assertEquals(1, out.get("alertsRaised"), "nobody came, half time passed: low_attendance");
        assertEquals(List.of(Scans.EVENT + ":low_attendance:1"), List.copyOf(store.history.keySet()));
        assertTrue(log.get(0).contains("\"msg\":\"stats tick\""), log.get(0));
    }

    @Test
    void oneFailingEventFailsTheTickAfterTheOthersWereEvaluated() {
        var store = new InMemoryStatisticsStore();
        var broken = AttendanceEvent.withDefaults("broken", Scans.START, Scans.END, ZoneOffset.UTC);
        var function = function(directory(List.of(broken, Scans.EVENT_SETTINGS)), store);
        var e = assertThrows(IllegalStateException.class, () -> function.handleRequest(schedule(),
                StatsFunctionTest.context(new ArrayList<>())));
        assertTrue(e.getMessage().contains("1 of 2 running events failed"), e.getMessage());
        assertEquals(List.of(Scans.EVENT + ":low_attendance:1"), List.copyOf(store.history.keySet()),
                "the other event was evaluated");
    }
}
