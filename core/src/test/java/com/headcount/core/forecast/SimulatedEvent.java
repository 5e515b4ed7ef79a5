package com.headcount.core.forecast;

import com.headcount.core.reference.ArrivalProfile;
import com.headcount.core.reference.ForecastSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * An event played out participant by participant, to test forecasts on curves they were not written for: each
 * participant who comes (a share drawn per event) picks a time from the shape's mixture, queues for gates of
 * limited capacity, and some leave and come back (an entry at a gate, not a new arrival). No one arrives by the
 * model's own formula.
 *
 * <p>The arrival span is doors open (an hour before the start) to the end: 5 hours.
 */
record SimulatedEvent(Shape shape, int active, double showUp, EventWindow window, int capacityPerMinute,
                      List<Instant> firstEntries, List<Instant> entries) {

    static final Instant START = Instant.parse("2026-09-15T09:00:00Z");
    static final int SPAN_MINUTES = 300;
    static final int GATES = 4;

    /** How participants pick their arrival time, in minutes after doors open. */
    enum Shape {
        /** 60 % in the first half hour, then a tail that thins out, and a few at any time. */
        FRONT_LOADED {
            @Override
            double arrival(Random r) {
                double u = r.nextDouble();
                if (u < 0.6) return 30 * r.nextDouble();
                if (u < 0.9) {
                    double t = 30 - 45 * Math.log(1 - r.nextDouble());
                    return t < SPAN_MINUTES ? t : SPAN_MINUTES * r.nextDouble();
                }
                return SPAN_MINUTES * r.nextDouble();
            }
        },
        /** Evenly over the span, with a slow two-hour swell. */
        STEADY {
            @Override
            double arrival(Random r) {
                while (true) {
                    double t = SPAN_MINUTES * r.nextDouble();
                    if (r.nextDouble() * 1.25 <= 1 + 0.25 * Math.sin(2 * Math.PI * t / 120)) return t;
                }
            }
        },
        /** A quarter spread out, three quarters for the closing session an hour before the end. */
        LATE_SURGE {
            @Override
            double arrival(Random r) {
                if (r.nextDouble() < 0.25) return SPAN_MINUTES * r.nextDouble();
                while (true) {
                    double t = 240 + 20 * r.nextGaussian();
                    if (t >= 0 && t < SPAN_MINUTES) return t;
                }
            }
        };

        abstract double arrival(Random r);

        /** The share of arrivals by every 10 minutes of the span, as an organiser who knows the event would set it. */
        ArrivalProfile profile() {
            Random r = new Random(1);
            int n = 200_000;
            double[] sorted = new double[n];
            for (int i = 0; i < n; i++) sorted[i] = arrival(r);
            java.util.Arrays.sort(sorted);
            double[] shares = new double[31];
            for (int k = 1; k < 30; k++) {
                double t = SPAN_MINUTES * k / 30.0;
                int below = java.util.Arrays.binarySearch(sorted, t);
                shares[k] = (below < 0 ? -below - 1 : below) / (double) n;
            }
            shares[30] = 1;
            return ArrivalProfile.of(shares);
        }

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    static SimulatedEvent play(Shape shape, int active, long seed) {
        Random r = new Random(seed);
        double showUp = 0.7 + 0.25 * r.nextDouble();
        EventWindow window = new EventWindow(START, START.plus(Duration.ofMinutes(SPAN_MINUTES - 60)), ZoneOffset.UTC);
        int capacity = Math.max(GATES, (int) Math.ceil(active * 0.9 / 60.0));
        List<Double> intents = new ArrayList<>();
        for (int i = 0; i < active; i++) if (r.nextDouble() < showUp) intents.add(shape.arrival(r));
        Collections.sort(intents);
        // one queue in front of all gates: each entry takes 1/capacity of a minute
        List<Instant> first = new ArrayList<>();
        List<Instant> all = new ArrayList<>();
        double free = 0;
        Instant lastScan = window.end().plus(Duration.ofHours(1));
        for (double intent : intents) {
            double at = Math.max(intent, free);
            free = at + 1.0 / capacity;
            Instant t = window.doorsOpen().plus(Duration.ofMillis((long) (at * 60_000)));
            if (t.isAfter(lastScan)) continue;
            first.add(t);
            all.add(t);
            if (r.nextDouble() < 0.15) {
                Instant back = t.plus(Duration.ofMinutes(30 + r.nextInt(120)));
                if (back.isBefore(window.end())) all.add(back);
            }
        }
        Collections.sort(all);
        return new SimulatedEvent(shape, active, showUp, window, capacity, first, all);
    }

    int finalAttendance() {
        return firstEntries.size();
    }

    /** When 95 % of the final attendance was in. */
    Instant completion95() {
        return firstEntries.get((int) Math.ceil(0.95 * firstEntries.size()) - 1);
    }

    /** {@code p} of the arrival span after doors open. */
    Instant at(double p) {
        return window.doorsOpen().plus(Duration.ofMillis((long) (p * SPAN_MINUTES * 60_000)));
    }

    /** What the statistics would hand the forecaster at {@code now}. */
    ForecastInput inputAt(Instant now, ForecastSettings settings) {
        int buckets = (int) (Duration.between(window.doorsOpen(), now).toMinutes() / 5) + 1;
        List<Integer> curve = new ArrayList<>(Collections.nCopies(buckets, 0));
        for (Instant t : firstEntries) {
            if (!t.isBefore(now)) break;
            int b = (int) (Duration.between(window.doorsOpen(), t).toMinutes() / 5);
            curve.set(b, curve.get(b) + 1);
        }
        // the gates count every entry, re-entries included
        int recent = (int) entries.stream().filter(t -> t.isBefore(now) && t.isAfter(now.minus(Duration.ofMinutes(5)))).count();
        int attended = (int) firstEntries.stream().filter(t -> t.isBefore(now)).count();
        List<GateRecentLoad> gates = new ArrayList<>();
        int perGate = (int) Math.ceil(capacityPerMinute / (double) GATES);
        for (int g = 0; g < GATES; g++) gates.add(new GateRecentLoad("g" + g, perGate, recent / GATES));
        return new ForecastInput(window, active, attended, ArrivalCurve.perFiveMinutes(curve), gates, settings);
    }
}
