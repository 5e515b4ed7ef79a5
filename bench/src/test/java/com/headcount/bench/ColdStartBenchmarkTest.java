package com.headcount.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.bench.coldstart.ColdStartBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code bin/bench coldstart} working: the ingest function's real jar, in a fresh JVM, must handle its first
 * event against the emulators (the run fails otherwise), beside the floor, and the report must have its parts.
 * Numbers are not checked.
 */
class ColdStartBenchmarkTest {

    @TempDir
    Path data;

    @Test
    void the_ingest_function_handles_its_first_event_in_a_fresh_jvm_and_the_report_is_whole() throws Exception {
        if (System.getProperty("headcount.root") == null) {
            // surefire runs in bench/; the jar and the sample events are the repository's
            System.setProperty("headcount.root", Path.of("..").toAbsolutePath().normalize().toString());
        }
        var printed = new ByteArrayOutputStream();
        int code = new ColdStartBenchmark().run(List.of("--runs", "1", "--functions", "IngestFunction", "--variants",
                "lambda", "--class-load", "no", "--data", data.toString()), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertEquals(0, code, report);
        for (String part : List.of("| IngestFunction |", "| hello-world |", "× floor", "### the jar:",
                "AWS SDK services.dynamodb")) {
            assertTrue(report.contains(part), "the report has " + part + ":\n" + report);
        }
    }
}
