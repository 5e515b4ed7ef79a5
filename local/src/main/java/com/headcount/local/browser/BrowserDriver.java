package com.headcount.local.browser;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's package) driven by playwright-core through dashboard/test/driver.mjs: one JSON command
 * per line. A failed command is an AssertionError with what the page showed and what its console said. Used by the
 * browser tests and by {@code bin/bench checkin}, which is why it is not under src/test.
 */
public final class BrowserDriver implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private final Process node;
    private final Writer commands;
    private final BufferedReader answers;

    /** A browser without a camera, as the organiser's dashboard needs. */
    public BrowserDriver(Path dashboardProject) throws IOException {
        this(dashboardProject, List.of());
    }

    private BrowserDriver(Path dashboardProject, List<String> options) throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("no Chromium at " + CHROMIUM + ": apt-get install chromium (.ci/run does)");
        }
        if (!Files.isDirectory(dashboardProject.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("playwright-core is not installed: run bin/dashboard");
        }
        List<String> command = new ArrayList<>(List.of("node", "test/driver.mjs"));
        command.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dashboardProject.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        node = pb.start();
        commands = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * A browser whose camera is Chromium's fake capture device, allowed without a prompt: it plays {@code video} (see
     * {@link QrVideo}; Chromium loops it), or its own moving test pattern, which holds no QR code, if null.
     */
    public static BrowserDriver withCamera(Path dashboardProject, QrVideo video) throws IOException {
        return new BrowserDriver(dashboardProject, List.of("--camera",
                video == null ? "synthetic" : video.file().toAbsolutePath().toString()));
    }

    public void open(String url) throws IOException {
        call(Map.of("cmd", "open", "url", url));
    }

    /** Waits until the element's text matches {@code pattern} (a JavaScript regular expression); returns the text. */
    public String waitForText(String selector, String pattern, Duration timeout) throws IOException {
        return (String) call(Map.of("cmd", "waitFor", "selector", selector, "pattern", pattern, "timeoutMs", timeout.toMillis()));
    }

    public String waitForAttribute(String selector, String attribute, String pattern, Duration timeout) throws IOException {
        return (String) call(Map.of("cmd", "waitFor", "selector", selector, "attribute", attribute, "pattern", pattern,
                "timeoutMs", timeout.toMillis()));
    }

    public String text(String selector) throws IOException {
        return (String) call(Map.of("cmd", "text", "selector", selector));
    }

    /** The attribute's value, null when the element does not have it. */
    public String attribute(String selector, String attribute) throws IOException {
        return (String) call(Map.of("cmd", "attribute", "selector", selector, "attribute", attribute));
    }

    public void fill(String selector, String value) throws IOException {
        call(Map.of("cmd", "fill", "selector", selector, "value", value));
    }

    public void click(String selector) throws IOException {
        call(Map.of("cmd", "click", "selector", selector));
    }

    /** A key as Playwright names it: {@code Enter}, {@code Escape}, ... */
    public void press(String selector, String key) throws IOException {
        call(Map.of("cmd", "press", "selector", selector, "key", key));
    }

    public void select(String selector, String value) throws IOException {
        call(Map.of("cmd", "select", "selector", selector, "value", value));
    }

    /** A JavaScript expression evaluated in the page; its value as JSON maps, lists, strings, numbers, booleans. */
    public Object evaluate(String expression) throws IOException {
        return call(Map.of("cmd", "evaluate", "expression", expression));
    }

    /** Waits until the JavaScript expression is truthy in the page (checked on every animation frame); its value. */
    public Object waitUntil(String expression, Duration timeout) throws IOException {
        return call(Map.of("cmd", "waitForFunction", "expression", expression, "timeoutMs", timeout.toMillis()));
    }

    /** The browser's network emulation: offline, every request of the page fails and navigator.onLine is false. */
    public void setOffline(boolean offline) throws IOException {
        call(Map.of("cmd", "setOffline", "offline", offline));
    }

    /**
     * What the check-in page announced since the last {@link #open}: {@code answers} (each {@code checkin:answer}),
     * {@code decoded} ({@code checkin:decoded}), {@code screens} (each new state of {@code #answer}), and if
     * {@link #watchCamera} was called, {@code frames} (one entry per run of frames carrying the same code) and
     * {@code camera} (frames seen, frames skipped).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> events() throws IOException {
        return (Map<String, Object>) call(Map.of("cmd", "events"));
    }

    /** Reads the strip {@code video} carries on every frame the page's {@code selector} element presents. */
    public void watchCamera(String selector, QrVideo video) throws IOException {
        call(Map.of("cmd", "watchCamera", "selector", selector, "width", video.width(), "strip", Map.of(
                "x", video.strip().x(), "y", video.strip().y(), "cell", video.strip().cell(), "bits", video.strip().bits())));
    }

    /** The page's last 50 console lines and errors. */
    @SuppressWarnings("unchecked")
    public List<String> console() throws IOException {
        return (List<String>) call(Map.of("cmd", "console"));
    }

    /** Every alert, confirm or prompt the page raised (each was dismissed). */
    @SuppressWarnings("unchecked")
    public List<String> dialogs() throws IOException {
        return (List<String>) call(Map.of("cmd", "dialogs"));
    }

    public void screenshot(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
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
        try (commands) {
            commands.write("{\"cmd\":\"close\"}\n");
            commands.flush();
        } catch (IOException gone) {
            // it stopped already
        }
        if (!node.waitFor(20, TimeUnit.SECONDS)) node.destroyForcibly();
    }
}
