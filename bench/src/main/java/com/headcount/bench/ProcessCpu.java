package com.headcount.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process and its descendants, from /proc (Linux): user + system ticks. The difference between two
 * readings over the seconds between them is the share of one core the process used.
 */
public final class ProcessCpu {

    /** USER_HZ: 100 on every Linux this runs on (the kernel fixes it for /proc). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds so far of {@code pid} alone; 0 for a process that is gone. */
    public static double seconds(long pid) {
        return ticks(pid) / TICKS_PER_SECOND;
    }

    /** CPU seconds so far of {@code pid} and everything it started. */
    public static double treeSeconds(long pid) {
        double total = ticks(pid);
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            for (var child : handle.get().descendants().toList()) {
                total += ticks(child.pid());
            }
        }
        return total / TICKS_PER_SECOND;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
