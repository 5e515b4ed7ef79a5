package com.headcount.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.bench.edge.EdgeBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code bin/bench edge --stack yes} working: a tiny run on a real local stack must bring every final decision
 * back to its gate, online and after the offline gate's reconnect, with no correction, and print both tables. Numbers
 * are not checked: a benchmark's numbers are read on a quiet machine, not asserted.
 */
class EdgeStackBenchmarkTest {

    @Test
    void a_short_run_brings_every_final_decision_back_online_and_after_a_reconnect() throws Exception {
        var printed = new ByteArrayOutputStream();
        int code = new EdgeBenchmark().run(List.of("--stack", "yes", "--rate", "20", "--stack-scans", "40", "--warmup",
                "10", "--backlog", "30", "--stack-participants", "200"), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertEquals(0, code, report);
        for (String part : List.of("| from the scan taken to the cloud's decision on the gate's decisions topic |",
                "| 40 of 40 |", "corrections shown (the cloud differing from the gates' answers): 0",
                "an offline gate's backlog of 30 scans (30 on its disk)", "| reconnect to drained |",
                "corrections shown at the backlog gate: 0")) {
            assertTrue(report.contains(part), "the report has " + part + ":\n" + report);
        }
    }
}
