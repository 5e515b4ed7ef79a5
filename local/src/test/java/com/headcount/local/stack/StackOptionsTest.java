package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulation's options: the offline stretch and the deactivation in event minutes, flags over variables. */
class StackOptionsTest {

    private static final Path ROOT = Path.of("/tmp/headcount-root");

    @Test
    void by_default_the_simulator_keeps_its_own_offline_stretch_and_deactivates_nobody() {
        var s = StackOptions.parse(List.of(), Map.of(), ROOT).simulation();
        assertEquals(StackOptions.Simulation.DEFAULT, s);
        assertNull(s.deactivateAt());
    }

    @Test
    void twenty_minutes_offline_at_the_peak_and_a_deactivation_are_options_or_variables() {
        var flags = StackOptions.parse(List.of("--offline", "south:35:20", "--deactivate-at", "45", "--seed", "1"),
                Map.of("HEADCOUNT_SIM_OFFLINE", "east:1:2"), ROOT).simulation();
        assertEquals(new StackOptions.Simulation(1L, "south", Duration.ofMinutes(35), Duration.ofMinutes(20),
                Duration.ofMinutes(45)), flags);
        var env = StackOptions.parse(List.of(), Map.of("HEADCOUNT_SIM_OFFLINE", "east:1.5:2",
                "HEADCOUNT_SIM_DEACTIVATE_AT", "3"), ROOT).simulation();
        assertEquals(new StackOptions.Simulation(null, "east", Duration.ofSeconds(90), Duration.ofMinutes(2),
                Duration.ofMinutes(3)), env);
    }

    @Test
    void a_malformed_stretch_is_refused_with_its_shape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> StackOptions.parse(List.of("--offline", "south:35"), Map.of(), ROOT));
        assertEquals("--offline (HEADCOUNT_SIM_OFFLINE) is GATE:FROM:MINUTES, not south:35", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StackOptions.parse(List.of("--deactivate-at", "-1"), Map.of(), ROOT));
    }
}
