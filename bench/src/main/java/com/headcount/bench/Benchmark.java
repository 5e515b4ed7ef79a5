package com.headcount.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * One benchmark of {@code bin/bench}: a name to call it by, a line for the list, and a run that prints its own table.
 * A benchmark is rerunnable, bounded in time, sends traffic only to loopback, and says on its output what it ran
 * (options, machine) so the numbers can be written down next to their command.
 */
public interface Benchmark {

    /** What follows {@code bin/bench} on the command line. */
    String name();

    /** One line for {@code bin/bench --help}. */
    String summary();

    /** The options, for {@code bin/bench NAME --help}. */
    String usage();

    /** @return the process exit code: 0 when the run met what it checks (every scan decided, say) */
    int run(List<String> args, PrintStream out) throws Exception;
}
