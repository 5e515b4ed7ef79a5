package com.headcount.local.dashboard;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's package) driven by playwright-core through dashboard/test/driver.mjs: one JSON command
 * per line. A failed command fails the test with what the page showed and what its console said.
 */
final class BrowserDriver implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private final Process node;
    private final Writer commands;
    private final BufferedReader answers;

    BrowserDriver(Path dashboardProject) throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("no Chromium at " + CHROMIUM + ": apt-get install chromium (.ci/run does)");
        }
        if (!Files.isDirectory(dashboardProject.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("playwright-core is not installed: run bin/dashboard");
        }
        ProcessBuilder pb = new ProcessBuilder("node", "test/driver.mjs").directory(dashboardProject.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        node = pb.start();
        commands = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }

    void open(String url) throws IOException {
        call(Map.of("cmd", "open", "url", url));
    }

    /** Waits until the element's text matches {@code pattern} (a JavaScript regular expression); returns the text. */
    String waitForText(String selector, String pattern, Duration timeout) throws IOException {
        return (String) call(Map.of("cmd", "waitFor", "selector", selector, "pattern", pattern, "timeoutMs", timeout.toMillis()));
    }

    String waitForAttribute(String selector, String attribute, String pattern, Duration timeout) throws IOException {
        return (String) call(Map.of("cmd", "waitFor", "selector", selector, "attribute", attribute, "pattern", pattern,
                "timeoutMs", timeout.toMillis()));
    }

    String text(String selector) throws IOException {
        return (String) call(Map.of("cmd", "text", "selector", selector));
    }

    void screenshot(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        call(Map.of("cmd", "screenshot", "path", path.toAbsolutePath().toString()));
    }

    private Object call(Map<String, Object> command) throws IOException {
        commands.write(JSON.std.asString(command) + "\n");
        commands.flush();
        String line = answers.readLine();
        if (line == null) throw new AssertionError("the browser driver stopped (its errors are above)");
        Map<String, Object> answer = JSON.std.mapFrom(line);
        if (!Boolean.TRUE.equals(answer.get("ok"))) {
            Map<String, Object> failure = new LinkedHashMap<>(answer);
            failure.remove("ok");
            throw new AssertionError(command + " failed: " + failure);
        }
        return answer.get("value");
    }

    @Override
    public void close() throws Exception {
        try {
            commands.write("{\"cmd\":\"close\"}\n");
            commands.flush();
        } catch (IOException gone) {
            // it stopped already
        }
        if (!node.waitFor(20, TimeUnit.SECONDS)) node.destroyForcibly();
    }
}
