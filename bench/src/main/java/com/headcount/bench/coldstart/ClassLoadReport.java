package com.headcount.bench.coldstart;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which dependencies a function's first event loads, and roughly what they cost: one more fresh JVM per function
 * with {@code -Xlog:class+load}. The time between one class's load and the next is charged to the next one's
 * dependency (its loading, linking and the code that ran until it was needed): a rough split, but it adds up to the
 * whole run, and a dependency that costs much shows as such. The logging itself slows the run down a little.
 */
final class ClassLoadReport {

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ns\\] (\\S+) source: (.*)$");

    private ClassLoadReport() {
    }

    static void print(PrintStream out, ColdStartBenchmark.Launcher launcher, List<String> functions, List<String> flags,
                      Path folder) throws Exception {
        Files.createDirectories(folder);
        out.printf("### classes loaded up to the first event handled, by dependency (%s, -Xlog:class+load)%n%n",
                String.join(" ", flags));
        out.println("| function | classes | of them from the JDK's CDS archive | costliest dependencies: classes, ms |");
        out.println("|---|---|---|---|");
        for (String function : functions) {
            Path log = folder.resolve(function + ".log");
            Files.deleteIfExists(log);
            List<String> own = new ArrayList<>(flags);
            own.add("-Xlog:class+load=info:file=" + log + ":uptimenanos");
            launcher.launch(function, own, Map.of(), 0);
            Map<String, long[]> groups = new HashMap<>();
            int classes = 0;
            int shared = 0;
            long previous = -1;
            for (String line : Files.readAllLines(log)) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) continue;
                long at = Long.parseLong(m.group(1));
                classes++;
                if (m.group(3).startsWith("shared")) shared++;
                long[] g = groups.computeIfAbsent(Dependencies.of(m.group(2)), k -> new long[2]);
                g[0]++;
                if (previous >= 0) g[1] += at - previous;
                previous = at;
            }
            StringBuilder costliest = new StringBuilder();
            groups.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(6)
                    .forEach(e -> costliest.append(costliest.isEmpty() ? "" : "; ").append(String.format("%s: %d, %d",
                            e.getKey(), e.getValue()[0], Math.round(e.getValue()[1] / 1e6))));
            out.printf("| %s | %d | %d | %s |%n", function, classes, shared, costliest);
        }
        out.println();
    }
}
