package com.headcount.bench.coldstart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipFile;

/** The deployed jar's classes by dependency: what each costs in the upload and in the zip Lambda unpacks. */
final class JarContents {

    private JarContents() {
    }

    static void print(PrintStream out, Path jar) throws IOException {
        Map<String, long[]> groups = new TreeMap<>();
        long total = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entry : zip.stream().toList()) {
                total += entry.getCompressedSize();
                String name = entry.getName();
                String group = name.endsWith(".class") ? Dependencies.of(name.substring(0, name.length() - 6))
                        : "resources (" + (name.contains("/") ? name.substring(0, name.indexOf('/')) : name) + ")";
                long[] g = groups.computeIfAbsent(group, k -> new long[3]);
                g[0]++;
                g[1] += entry.getCompressedSize();
                g[2] += Math.max(0, entry.getSize());
            }
        }
        out.printf("### the jar: %s, %,d bytes compressed in all; the groups over 100 kB%n%n", jar.getFileName(), total);
        out.println("| dependency | entries | compressed, kB | unpacked, kB |");
        out.println("|---|---|---|---|");
        groups.entrySet().stream().filter(e -> e.getValue()[1] > 100_000)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> out.printf("| %s | %d | %d | %d |%n", e.getKey(), e.getValue()[0], e.getValue()[1] / 1024,
                        e.getValue()[2] / 1024));
        out.println();
    }
}
