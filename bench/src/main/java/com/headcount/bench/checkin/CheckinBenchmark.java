package com.headcount.bench.checkin;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.bench.Benchmark;
import com.headcount.bench.Options;
import com.headcount.bench.load.StackProcess;
import com.headcount.local.browser.BrowserDriver;
import com.headcount.local.browser.QrVideo;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.EventLoader;
import com.headcount.local.stack.StackOptions.Service;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/bench checkin}: the staff check-in page (dashboard/dist/checkin.html) in headless Chromium at gate north
 * of the local stack's demo event, badges shown one after another to Chromium's fake camera (a film made by
 * dashboard/test/qr-video.py). For each badge: from the first frame carrying it that the page's video element
 * presented (read from the frame itself, see {@link BrowserDriver#watchCamera}) to the page's {@code checkin:decoded}
 * and to its {@code checkin:answer} (the answer rendered), online, then offline (the browser's network emulation).
 * Then the network comes back, the page's queue must drain, and every badge must be stored exactly once.
 */
public final class CheckinBenchmark implements Benchmark {

    private static final String GATE = "north";

    @Override
    public String name() {
        return "checkin";
    }

    @Override
    public String summary() {
        return "the check-in page in Chromium: a QR code's first camera frame to the answer on screen, online and offline";
    }

    @Override
    public String usage() {
        return """
                bin/bench checkin [--codes 60] [--show-ms 1000] [--gap-ms 500] [--data DIR] [--kinesis-emulator E]
                  --codes    badges per mode (online, then offline): each a different active participant, shown once
                  --show-ms  how long each badge is held before the camera; --gap-ms the empty frames after it
                  --data     the stack's data folder, kept (by default a temporary one, removed at the end)
                starts the local stack (its own JVM, as bin/local --no-simulator) and Chromium; needs Debian's chromium,
                python3-qrcode and ffmpeg. The film is 640x480 at 10 frames/s, about 460 kB a frame, in the data folder
                while it runs. Exits 1 when a badge shown was not answered or a scan was not stored exactly once.""";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("codes", "60");
        defaults.put("show-ms", "1000");
        defaults.put("gap-ms", "500");
        defaults.put("data", null);
        defaults.put("kinesis-emulator", KinesisEmulator.configured().label());
        Options o = Options.parse(args, defaults);
        int codes = o.integer("codes");
        if (codes < 1 || 2 * codes > 900) throw new IllegalArgumentException("--codes must be 1..450");
        Duration show = Duration.ofMillis(o.integer("show-ms"));
        Duration gap = Duration.ofMillis(o.integer("gap-ms"));
        KinesisEmulator emulator = KinesisEmulator.named(o.text("kinesis-emulator"));
        boolean ownFolder = o.text("data") == null;
        Path data = ownFolder ? Files.createTempDirectory("headcount-bench-checkin-") : Path.of(o.text("data"));
        // the tests name the folder; bin/bench runs from the repository's root
        Path dashboard = System.getProperty("headcount.dashboard.dir") != null
                ? Path.of(System.getProperty("headcount.dashboard.dir"))
                : Path.of(System.getProperty("headcount.root", ".")).toAbsolutePath().resolve("dashboard");

        Path film = data.resolve("checkin-bench.y4m");
        try {
            return measure(codes, show, gap, emulator, data, film, dashboard, out);
        } finally {
            // the film is about 460 kB a frame, and a stack leaves its emulators' files: /tmp must not collect them
            Files.deleteIfExists(film);
            if (ownFolder) {
                try (var files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private int measure(int codes, Duration show, Duration gap, KinesisEmulator emulator, Path data, Path filmFile,
                        Path dashboard, PrintStream out) throws Exception {
        // active demo participants only (every 40th is cancelled): each badge is a first entry, accepted
        List<String> badges = new ArrayList<>();
        for (int i = 1; badges.size() < 2 * codes; i++) if (i % 40 != 0) badges.add("P-%05d".formatted(i));
        // 3 s of blank first: the page is ready (its list loaded, the frames watched) before the first badge
        QrVideo.Timing timing = new QrVideo.Timing(10, Duration.ofSeconds(3), show, gap, Duration.ZERO);
        QrVideo film = QrVideo.render(dashboard, filmFile, timing, badges);

        out.printf("bin/bench checkin --codes %d --show-ms %d --gap-ms %d   (%d cores, %s %s, Java %s, %s)%n", codes,
                show.toMillis(), gap.toMillis(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), emulator);
        out.printf("film: %dx%d at %d frames/s, %d badges (%d online, then %d offline), %d s a loop; data %s%n",
                film.width(), film.height(), film.fps(), badges.size(), codes, codes, film.length().toSeconds(), data);

        int code = 0;
        try (StackProcess stack = StackProcess.start(data, emulator, StackProcess.freePorts(),
                List.of("-Dheadcount.dashboard.dir=" + dashboard), List.of());
             HttpClient http = HttpClient.newHttpClient()) {
            LocalTokens tokens = LocalTokens.inDataFolder(data, Clock.systemUTC());
            String staff = tokens.mint("bench-phone", List.of("gate-staff"), List.of(EventLoader.DEMO_EVENT), List.of(GATE),
                    Duration.ofHours(2));
            Map<String, Object> seen;
            double onlineFrom;
            double offlineFrom;
            double backOnline;
            double drained;
            String browserName;
            try (BrowserDriver phone = BrowserDriver.withCamera(dashboard, film)) {
                phone.open("http://localhost:" + stack.port(Service.DASHBOARD) + "/checkin.html#event="
                        + EventLoader.DEMO_EVENT + "&gate=" + GATE + "&token=" + staff);
                phone.watchCamera("#camera", film);
                phone.waitForAttribute("#list-age", "data-version", "^\\d+$", Duration.ofSeconds(60));
                browserName = (String) phone.evaluate("navigator.userAgent.match(/Chrome\\/[\\d.]+/)?.[0] ?? navigator.userAgent");
                onlineFrom = now(phone);
                Duration loop = film.length().plus(Duration.ofSeconds(60));
                phone.waitUntil(answered(badges.get(codes - 1)), loop);
                phone.setOffline(true);
                offlineFrom = now(phone);
                phone.waitUntil(answered(badges.getLast()), loop);
                // the film starts again 3.5 s after its last badge: its showings after this are no part of the run
                phone.evaluate("document.getElementById('camera').srcObject.getVideoTracks().forEach(t => t.stop())");
                phone.setOffline(false);
                backOnline = now(phone);
                phone.waitForText("#queue", "^0$", Duration.ofMinutes(3));
                drained = now(phone);
                seen = phone.events();
            }

            List<Map<String, Object>> runs = list(seen.get("frames"));
            List<Map<String, Object>> decoded = list(seen.get("decoded"));
            List<Map<String, Object>> answers = list(seen.get("answers"));
            Samples online = new Samples();
            Samples offline = new Samples();
            List<String> unanswered = new ArrayList<>();
            Map<String, String> measuredScan = new HashMap<>();
            for (Map<String, Object> run : runs) {
                int number = ((Number) run.get("number")).intValue();
                if (number < 1 || number > badges.size() || Boolean.TRUE.equals(run.get("partial"))) continue;
                double at = num(run.get("presentedAt"));
                if (at < onlineFrom || at >= backOnline) continue;
                String badge = badges.get(number - 1);
                Samples mode = at < offlineFrom ? online : offline;
                Map<String, Object> answer = first(answers, badge, "shownAt", at, false);
                if (answer == null || (mode == offline && num(answer.get("shownAt")) >= backOnline)) {
                    unanswered.add(badge + (mode == online ? " (online)" : " (offline)"));
                    continue;
                }
                // seenAt, not decodedAt: the page stamps decodedAt when it takes the frame, before jsQR has run
                measuredScan.put(badge, (String) answer.get("scanId"));
                Map<String, Object> decode = first(decoded, badge, "seenAt", at, false);
                mode.add(at, decode == null ? Double.NaN : num(decode.get("seenAt")), answer,
                        mode == online ? first(answers, badge, "shownAt", at, true) : null);
            }

            // the cloud's records of each badge: its measured scan accepted under the page's key, and no record under
            // a key the page never announced (a scan sent twice under two keys would be one)
            String organiser = tokens.mint("bench-organiser", List.of("organizer"), List.of(EventLoader.DEMO_EVENT),
                    Duration.ofMinutes(30));
            Set<Object> announced = new HashSet<>();
            answers.forEach(a -> announced.add(a.get("scanId")));
            List<String> notOnce = new ArrayList<>();
            for (String badge : badges) {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port(Service.API)
                                + "/api/v1/events/" + EventLoader.DEMO_EVENT + "/attendance?participantId=" + badge))
                        .header("Authorization", "Bearer " + organiser).build(), HttpResponse.BodyHandlers.ofString());
                List<Map<String, Object>> items = list(JSON.std.mapFrom(response.body()).get("items"));
                String scanId = measuredScan.get(badge);
                boolean acceptedOnce = scanId != null && items.stream().filter(i -> scanId.equals(i.get("scanId")))
                        .filter(i -> "accepted".equals(i.get("outcome"))).count() == 1;
                boolean unknownKey = items.stream().anyMatch(i -> !announced.contains(i.get("scanId")));
                if (!acceptedOnce || unknownKey) notOnce.add(badge + " " + items);
            }

            Map<String, Object> camera = map(seen.get("camera"));
            out.printf("browser: %s, headless; the page's video presented %s frames, %s skipped%n", browserName,
                    camera.get("frames"), camera.get("skipped"));
            out.println();
            out.println("| from the badge's first frame presented to the page | badges | p50 | p99 | max |");
            out.println("|---|---|---|---|---|");
            online.print(out, "online: decoded (jsQR done: checkin:decoded)", online.decode);
            online.print(out, "online: answer on screen (the cloud's, or the phone's after 800 ms)", online.shown);
            online.print(out, "online: the cloud's answer on screen", online.finalShown);
            offline.print(out, "offline: decoded (jsQR done: checkin:decoded)", offline.decode);
            offline.print(out, "offline: answer on screen (the phone's, from its allow-list)", offline.shown);
            if (online.count() < 100 || offline.count() < 100) {
                out.println("(nearest rank: under 100 badges a mode, p99 is the slowest one)");
            }
            out.println();
            out.printf("online: %d of %d answers were the cloud's at once, %d showed the phone's first (the cloud took over 800 ms)%n",
                    online.finalFirst, online.count(), online.count() - online.finalFirst);
            out.printf("offline: %d answers, %d of them provisional; back online the queue drained in %.1f s%n",
                    offline.count(), offline.count() - offline.finalFirst, (drained - backOnline) / 1000);
            out.printf("stored exactly once, accepted: %d of %d badges%s%n", badges.size() - notOnce.size(), badges.size(),
                    notOnce.isEmpty() ? "" : "; not: " + notOnce.subList(0, Math.min(5, notOnce.size())));
            if (!unanswered.isEmpty()) out.printf("shown but not answered: %s%n", unanswered);
            out.println("""

                    Not measured: the camera itself. A phone's sensor exposure and readout, its image processing, autofocus
                    and the way to the browser (tens of ms or more) come before the first frame here: Chromium's fake
                    device hands over a finished frame. jsQR runs on this machine's CPU, not a phone's (a phone's is slower),
                    the frames are perfectly sharp and square-on, and "on screen" is the answer rendered into the page at the
                    next animation frame, before the compositor paints it (one display frame at most).""");
            if (!unanswered.isEmpty() || !notOnce.isEmpty() || online.count() < codes || offline.count() < codes
                    || offline.finalFirst > 0) {
                code = 1;
            }
            if (online.count() < codes || offline.count() < codes) {
                out.printf("measured %d online and %d offline of %d each: a badge appeared before the page was ready or "
                        + "while the network was switched%n", online.count(), offline.count(), codes);
            }
        }
        return code;
    }

    /** A page expression: true once the badge has an answer (of any kind). */
    private static String answered(String badge) {
        return "window.__headcount.answers.some(a => a.participantId === '" + badge + "')";
    }

    private static double now(BrowserDriver phone) throws java.io.IOException {
        return num(phone.evaluate("performance.now()"));
    }

    /** The first entry for the badge at or after {@code from}, by its {@code time} field. */
    private static Map<String, Object> first(List<Map<String, Object>> entries, String badge, String time, double from,
                                             boolean onlyFinal) {
        return entries.stream()
                .filter(e -> badge.equals(e.get("participantId")) && num(e.get(time)) >= from)
                .filter(e -> !onlyFinal || Boolean.TRUE.equals(e.get("final")))
                .findFirst().orElse(null);
    }

    /** Latencies of one mode, in ms. */
    private static final class Samples {
        final List<Double> decode = new ArrayList<>();
        final List<Double> shown = new ArrayList<>();
        final List<Double> finalShown = new ArrayList<>();
        /** Answers whose first showing was already the cloud's. */
        int finalFirst;

        void add(double appeared, double decodedAt, Map<String, Object> answer, Map<String, Object> finalAnswer) {
            if (!Double.isNaN(decodedAt)) decode.add(decodedAt - appeared);
            shown.add(num(answer.get("shownAt")) - appeared);
            if (Boolean.TRUE.equals(answer.get("final"))) finalFirst++;
            if (finalAnswer != null) finalShown.add(num(finalAnswer.get("shownAt")) - appeared);
        }

        int count() {
            return shown.size();
        }

        void print(PrintStream out, String what, List<Double> samples) {
            double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
                out.printf("| %s | 0 | | | |%n", what);
                return;
            }
            out.printf("| %s | %d | %.0f ms | %.0f ms | %.0f ms |%n", what, sorted.length, rank(sorted, 50), rank(sorted, 99),
                    sorted[sorted.length - 1]);
        }

        private static double rank(double[] sorted, int percent) {
            return sorted[Math.max(1, (int) Math.ceil(percent / 100.0 * sorted.length)) - 1];
        }
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }
}
