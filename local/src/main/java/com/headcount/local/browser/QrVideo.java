package com.headcount.local.browser;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A film for Chromium's fake camera, made by dashboard/test/qr-video.py: QR codes held up one after another, each
 * frame marked with the number of the code it carries (a strip of squares, read back by
 * {@link BrowserDriver#watchCamera}). Never committed: written where the caller says (a test's temporary folder).
 *
 * @param codes in the order they appear; {@code number} is the place in that order from 1, as the strip says it
 */
public record QrVideo(Path file, int width, int height, int fps, int frames, Strip strip, List<Code> codes) {

    /** Where the strip is on a frame of {@code width} pixels: {@code bits} cells after the "a code is shown" cell. */
    public record Strip(int x, int y, int cell, int bits) {
    }

    public record Code(int number, String text, int firstFrame, int lastFrame) {
    }

    /** How long each part lasts. Chromium plays the film at {@code fps} and starts again at its end. */
    public record Timing(int fps, Duration lead, Duration show, Duration gap, Duration tail) {

        /** A second of blank, each code 1.5 s with 1 s of blank after it, at 10 frames a second. */
        public static Timing standard() {
            return new Timing(10, Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ZERO);
        }

        public Timing withTail(Duration tail) {
            return new Timing(fps, lead, show, gap, tail);
        }

        public Timing withShowAndGap(Duration show, Duration gap) {
            return new Timing(fps, lead, show, gap, tail);
        }
    }

    /** Debian's interpreter, where apt-get install python3-qrcode puts the module (another python3 may come first). */
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    /**
     * Renders the texts as QR codes into a .y4m file (640×480 raw frames: about 460 kB a frame).
     *
     * @param dashboardProject the dashboard folder, which holds test/qr-video.py
     */
    public static QrVideo render(Path dashboardProject, Path file, Timing timing, List<String> texts)
            throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of(
                Files.isExecutable(DEBIAN_PYTHON) ? DEBIAN_PYTHON.toString() : "python3",
                dashboardProject.resolve("test/qr-video.py").toString(), "--out", file.toAbsolutePath().toString(),
                "--fps", Integer.toString(timing.fps()), "--lead", seconds(timing.lead()), "--show", seconds(timing.show()),
                "--gap", seconds(timing.gap()), "--tail", seconds(timing.tail())));
        command.addAll(texts);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("qr-video.py failed (it needs Debian's python3-qrcode and ffmpeg: "
                    + "apt-get install python3-qrcode ffmpeg, as .ci/run does): " + err.strip());
        }
        return parse(JSON.std.mapFrom(out));
    }

    @SuppressWarnings("unchecked")
    private static QrVideo parse(Map<String, Object> manifest) {
        Map<String, Object> strip = (Map<String, Object>) manifest.get("strip");
        List<Code> codes = new ArrayList<>();
        for (Object o : (List<Object>) manifest.get("codes")) {
            Map<String, Object> c = (Map<String, Object>) o;
            codes.add(new Code(number(c, "number"), (String) c.get("text"), number(c, "firstFrame"), number(c, "lastFrame")));
        }
        return new QrVideo(Path.of((String) manifest.get("file")), number(manifest, "width"), number(manifest, "height"),
                number(manifest, "fps"), number(manifest, "frames"),
                new Strip(number(strip, "x"), number(strip, "y"), number(strip, "cell"), number(strip, "bits")), codes);
    }

    /** How long Chromium takes to play it once. */
    public Duration length() {
        return Duration.ofMillis(frames * 1000L / fps);
    }

    private static int number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }
}
