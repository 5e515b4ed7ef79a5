package com.headcount.core.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.headcount.core.forecast.SimulatedEvent.Shape;
import com.headcount.core.reference.ForecastSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forecast against a naive baseline on simulated events ({@link SimulatedEvent}): three arrival shapes, two
 * sizes, eight events each (show-up rates drawn between 70 % and 95 %; the prior stays at its default 85 %). At
 * 25 %, 50 % and 75 % of the arrival span, the error of the expected final attendance (% of the true final) and of
 * the completion time (when 95 % of the final attendance is in; minutes). The method runs with default settings,
 * and again with the shape's profile set as an organiser who knows the event would set it.
 *
 * <p>Asserted, over each shape's 48 forecasts: the final attendance beats the baseline's with default settings and
 * with the profile set; the completion time beats it with the profile set, and with default settings on the
 * front-loaded and steady shapes. A late surge not yet begun is invisible in the arrivals: by default its final
 * attendance is still better than the baseline's, its completion time is not (the baseline's straight line always
 * says 95 % of the span, which is where a late crowd lands); both are in the table.
 *
 * <p>The baseline: rate so far × remaining time, i.e. final = attended + attended ÷ minutes since doors open ×
 * minutes to the end (at most the active participants), and 95 % reached on that straight line. The table goes to
 * target/forecast-evaluation.md (and docs/FORECASTS.md, "Evaluation on simulated events").
 */
class ForecastEvaluationTest {

    static final int[] SIZES = {300, 5000};
    static final double[] CHECKPOINTS = {0.25, 0.5, 0.75};
    static final int EVENTS = 8;

    /** Mean absolute errors: final attendance in % of the truth, completion in minutes. */
    record Errors(double finalPercent, double completionMinutes) {}

    static final class Sum {
        double finalPercent, completionMinutes;
        int n;

        void add(double f, double c) {
            finalPercent += f;
            completionMinutes += c;
            n++;
        }

        Errors mean() {
            return new Errors(finalPercent / n, completionMinutes / n);
        }
    }

    /** The naive forecast: final and 95 % time from the average rate since doors open. */
    static double[] baseline(SimulatedEvent e, ForecastInput in, Instant now) {
        double minutes = Duration.between(e.window().doorsOpen(), now).toMillis() / 60_000.0;
        double toEnd = Math.max(0, Duration.between(now, e.window().end()).toMillis() / 60_000.0);
        double rate = minutes <= 0 ? 0 : in.attendedSoFar() / minutes;
        double expected = Math.min(Math.max(in.activeParticipants(), in.attendedSoFar()), in.attendedSoFar() + rate * toEnd);
        double completion = rate <= 0 ? SimulatedEvent.SPAN_MINUTES : Math.min(SimulatedEvent.SPAN_MINUTES, 0.95 * expected / rate);
        return new double[] {expected, completion};
    }

    /** The method: expected final and the 95 % time, in minutes after doors open. */
    static double[] method(SimulatedEvent e, ForecastInput in, Instant now) {
        Forecast f = Forecaster.forecast(in, now);
        double completion = f.completion().map(c -> Duration.between(e.window().doorsOpen(), c.at()).toMillis() / 60_000.0)
                .orElse((double) SimulatedEvent.SPAN_MINUTES);
        return new double[] {f.expectedFinalAttendance().expected(), completion};
    }

    @Test
    void theMethodBeatsTheNaiveBaselineOnEveryShape() throws IOException {
        Map<String, Sum[]> cells = new LinkedHashMap<>(); // shape/size/checkpoint → method, profile set, baseline
        Map<Shape, Sum[]> byShape = new LinkedHashMap<>();
        for (Shape shape : Shape.values()) {
            byShape.put(shape, new Sum[] {new Sum(), new Sum(), new Sum()});
            ForecastSettings configured = ForecastSettings.defaults().withProfile(shape.profile());
            for (int size : SIZES) {
                for (double p : CHECKPOINTS) {
                    Sum[] cell = {new Sum(), new Sum(), new Sum()};
                    cells.put(shape.label() + "|" + size + "|" + (int) (p * 100), cell);
                    for (int seed = 0; seed < EVENTS; seed++) {
                        SimulatedEvent e = SimulatedEvent.play(shape, size, 1000L * size + seed);
                        Instant now = e.at(p);
                        double truth = e.finalAttendance();
                        double truthCompletion = Duration.between(e.window().doorsOpen(), e.completion95()).toMillis() / 60_000.0;
                        List<double[]> forecasts = List.of(
                                method(e, e.inputAt(now, ForecastSettings.defaults()), now),
                                method(e, e.inputAt(now, configured), now),
                                baseline(e, e.inputAt(now, ForecastSettings.defaults()), now));
                        for (int k = 0; k < 3; k++) {
                            double fe = 100 * Math.abs(forecasts.get(k)[0] - truth) / truth;
                            double ce = Math.abs(forecasts.get(k)[1] - truthCompletion);
                            cell[k].add(fe, ce);
                            byShape.get(shape)[k].add(fe, ce);
                        }
                    }
                }
            }
        }

        String table = table(cells, byShape);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "forecast-evaluation.md"), table);
        System.out.println(table);

        for (var e : byShape.entrySet()) {
            Errors method = e.getValue()[0].mean();
            Errors configured = e.getValue()[1].mean();
            Errors baseline = e.getValue()[2].mean();
            assertTrue(method.finalPercent() < baseline.finalPercent(), e.getKey() + ": final attendance, method "
                    + method + " vs baseline " + baseline);
            assertTrue(configured.finalPercent() < baseline.finalPercent(), e.getKey() + ": final attendance, profile set "
                    + configured + " vs baseline " + baseline);
            assertTrue(configured.completionMinutes() < baseline.completionMinutes(), e.getKey()
                    + ": completion, profile set " + configured + " vs baseline " + baseline);
            // with default settings a surge still to come cannot be seen: its completion is reported, not promised
            if (e.getKey() != Shape.LATE_SURGE) {
                assertTrue(method.completionMinutes() < baseline.completionMinutes(), e.getKey()
                        + ": completion, method " + method + " vs baseline " + baseline);
            }
        }
    }

    static String table(Map<String, Sum[]> cells, Map<Shape, Sum[]> byShape) {
        StringBuilder t = new StringBuilder();
        t.append("| shape | participants | at | final attendance error, method | with the shape's profile set | baseline "
                + "| completion error (min), method | with the shape's profile set | baseline |\n");
        t.append("|---|---|---|---|---|---|---|---|---|\n");
        for (var c : cells.entrySet()) {
            String[] k = c.getKey().split("\\|");
            Errors m = c.getValue()[0].mean(), p = c.getValue()[1].mean(), b = c.getValue()[2].mean();
            t.append(String.format(Locale.ROOT, "| %s | %s | %s %% | %.1f %% | %.1f %% | %.1f %% | %.1f | %.1f | %.1f |%n",
                    k[0], k[1], k[2], m.finalPercent(), p.finalPercent(), b.finalPercent(),
                    m.completionMinutes(), p.completionMinutes(), b.completionMinutes()));
        }
        for (var s : byShape.entrySet()) {
            Errors m = s.getValue()[0].mean(), p = s.getValue()[1].mean(), b = s.getValue()[2].mean();
            t.append(String.format(Locale.ROOT, "| **%s, all** | | | **%.1f %%** | %.1f %% | **%.1f %%** | **%.1f** | %.1f | **%.1f** |%n",
                    s.getKey().label(), m.finalPercent(), p.finalPercent(), b.finalPercent(),
                    m.completionMinutes(), p.completionMinutes(), b.completionMinutes()));
        }
        return t.toString();
    }
}
