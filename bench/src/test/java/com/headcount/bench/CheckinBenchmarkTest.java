package com.headcount.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.bench.checkin.CheckinBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code bin/bench checkin} working: two badges a mode must each be answered, the queue must drain and every
 * badge be stored once, and the report must have its parts. Numbers are not checked.
 */
class CheckinBenchmarkTest {

    @TempDir
    Path data;

    @Test
    void a_short_run_answers_every_badge_online_and_offline_and_prints_the_whole_report() throws Exception {
        var printed = new ByteArrayOutputStream();
        int code = new CheckinBenchmark().run(List.of("--codes", "2", "--data", data.toString()),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertEquals(0, code, report);
        for (String part : List.of("| online: decoded (jsQR done: checkin:decoded) | 2 |", "| online: answer on screen", "| offline: answer on screen",
                "stored exactly once, accepted: 4 of 4 badges", "the queue drained in", "Not measured: the camera itself")) {
            assertTrue(report.contains(part), "the report has " + part + ":\n" + report);
        }
    }
}
