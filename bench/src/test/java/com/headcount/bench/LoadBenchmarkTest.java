package com.headcount.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.bench.load.LoadBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code bin/bench load} working: a tiny run (two gates, a few seconds, two runs so the stack is restarted on
 * its data folder, then idle) must decide every scan once and print every part of its report. Numbers are not
 * checked: a benchmark's numbers are read on a quiet machine, not asserted.
 */
class LoadBenchmarkTest {

    @TempDir
    Path data;

    @Test
    void a_short_run_decides_every_scan_once_and_prints_the_whole_report() throws Exception {
        var printed = new ByteArrayOutputStream();
        int code = new LoadBenchmark().run(List.of("--rate", "20", "--gates", "2", "--duration", "3", "--warmup", "1",
                "--runs", "2", "--idle", "2", "--data", data.toString()), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertEquals(0, code, report);
        for (String part : List.of("(every scan decided)", "most decisions for one scan: 1",
                "scan-to-decision, from the scan, queue included: p50", "of which in the gates' queue",
                "CPU, % of one core", "stack JVM", "dynalite", "lags most:", "| run | made | decided |",
                "last run's p99 / first run's", "idle, nothing arriving")) {
            assertTrue(report.contains(part), "the report has " + part + ":\n" + report);
        }
    }
}
