package com.headcount.local.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the tests that start a whole stack share: bin/local's options on free ports, and waiting for a signal. */
public final class TestStacks {

    private TestStacks() {}

    /** {@code --no-simulator}, every port 0 (any free one), the data in {@code data}, then {@code more} options. */
    public static StackOptions onFreePorts(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--no-simulator"));
        args.addAll(List.of(more));
        for (StackOptions.Service service : StackOptions.Service.values()) {
            args.add(service.flag);
            args.add("0");
        }
        return StackOptions.parse(args, Map.of(), data);
    }

    /** Polls until the condition holds; a minute is far beyond what any of these signals takes. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(50);
        }
    }
}
