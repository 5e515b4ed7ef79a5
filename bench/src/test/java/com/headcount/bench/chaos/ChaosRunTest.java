package com.headcount.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.local.emulator.KinesisEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/bench chaos} at a small size: the same run (every fault kind, the offline gate's backlog,
 * redeliveries), about 1 000 scans over a minute, and the five checks asserted. It waits on the stack's own
 * signals: its "started in" line, the hook's acknowledgements, counts of decisions and stored outcomes.
 */
class ChaosRunTest {

    @TempDir
    Path data;

    @Test
    void every_fault_kind_at_small_size_loses_doubles_and_misstates_nothing() throws Exception {
        var printed = new ByteArrayOutputStream();
        var out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        var run = new ChaosRun(new ChaosRun.Settings(700, 7, Duration.ofSeconds(60), 0.05, data,
                KinesisEmulator.configured(), 2), out);
        ChaosChecks checks = run.run();
        checks.print(out);
        run.notes.forEach(n -> out.println("note: " + n));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertEquals(5, checks.checks.size(), report);
        for (ChaosChecks.Check check : checks.checks) {
            assertTrue(check.passed(), check.name() + ": " + check.figures() + " " + check.examples() + "\n" + report);
        }
        assertEquals(Arrays.asList(Fault.values()), checks.rows.stream().map(ChaosChecks.Row::fault).toList(),
                "every kind of fault was injected, in order");
        for (ChaosChecks.Row row : checks.rows) {
            assertTrue(row.injected() > 0, row.fault() + " was injected: " + report);
            assertEquals(0, row.lost(), row.fault() + ": " + report);
            assertEquals(0, row.doubled(), row.fault() + ": " + report);
        }
        assertTrue(checks.rows.stream().filter(r -> List.of(Fault.FUNCTION_CRASH).contains(r.fault()))
                .allMatch(r -> r.injected() == 2), "ingest and statistics were each killed once: " + report);
    }
}
