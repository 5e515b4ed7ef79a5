package com.headcount.device.simulator;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * One line redrawn in place on a terminal (a line every few seconds when the output is a file or a CI log).
 * A null stream shows nothing.
 */
final class ProgressBar {

    record Snapshot(int submitted, int decided, int queued) {}

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final int total;
    private final boolean terminal = System.console() != null;
    private Thread thread;
    private volatile boolean running;
    private Supplier<Snapshot> source;

    ProgressBar(PrintStream out, int total) {
        this.out = out;
        this.total = Math.max(1, total);
    }

    void start(Supplier<Snapshot> source) {
        if (out == null) return;
        this.source = source;
        running = true;
        thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
            long every = terminal ? 200 : 3000;
            while (running) {
                draw(false);
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop() throws InterruptedException {
        if (thread == null) return;
        running = false;
        thread.interrupt();
        thread.join();
        draw(true);
    }

    private void draw(boolean last) {
        Snapshot s = source.get();
        int filled = (int) ((long) WIDTH * s.decided() / total);
        String bar = "#".repeat(Math.min(WIDTH, filled)) + ".".repeat(Math.max(0, WIDTH - filled));
        String line = String.format("[%s] %5d/%d scans made, %5d decisions back, %4d waiting in gate queues",
                bar, s.submitted(), total, s.decided(), s.queued());
        if (terminal) {
            out.print("\r" + line + (last ? System.lineSeparator() : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
