package com.headcount.bench.coldstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lambda's CPU for a memory size, on this machine: a cgroup (v1) whose CFS quota is the share of one core Lambda
 * gives that size (1 769 MB is one full vCPU, less is proportionally less). The JVM still sees every core, as it
 * does in Lambda; only its CPU time per 100 ms is capped. Removed again when the variant is done.
 */
final class CpuShare implements AutoCloseable {

    static final int ONE_VCPU_MB = 1769;
    private static final long PERIOD_US = 100_000;

    private final Path group;

    private CpuShare(Path group) {
        this.group = group;
    }

    /** The share of a core for {@code lambda@1024}; an IllegalArgumentException for anything else after the @. */
    static double vcpus(String variant) {
        try {
            int mb = Integer.parseInt(variant.substring(variant.indexOf('@') + 1));
            if (mb < 128 || mb > 10_240) throw new NumberFormatException();
            return Math.min(1.0, mb / (double) ONE_VCPU_MB);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variant + ": after @ a Lambda memory size in MB, 128 to 10240");
        }
    }

    static CpuShare of(String variant) {
        Path group = Path.of("/sys/fs/cgroup/cpu", "headcount-coldstart-" + ProcessHandle.current().pid());
        try {
            if (!Files.isDirectory(group)) Files.createDirectory(group);
            Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(PERIOD_US * vcpus(variant))));
        } catch (IOException e) {
            throw new UncheckedIOException("a CPU share needs a writable cgroup v1 cpu controller: " + group, e);
        }
        return new CpuShare(group);
    }

    /** Puts the JVM into the group before it starts: a shell joins it, then becomes the JVM. */
    List<String> prefix() {
        return List.of("sh", "-c", "echo $$ > " + group.resolve("cgroup.procs") + " && exec \"$0\" \"$@\"");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            System.err.println("could not remove " + group + ": " + e.getMessage());
        }
    }
}
