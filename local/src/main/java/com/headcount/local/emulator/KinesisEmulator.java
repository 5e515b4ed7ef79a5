package com.headcount.local.emulator;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which Kinesis stand-in to run. kinesalite is the default: measured faster and lighter at idle (BENCHMARKS.md);
 * kinesis-local stays selectable ({@code --kinesis-emulator}, {@code HEADCOUNT_KINESIS_EMULATOR}, or the system
 * property {@value #PROPERTY} for the tests) so the two can be compared on the same code.
 */
public enum KinesisEmulator {
    KINESALITE("kinesalite"),
    KINESIS_LOCAL("kinesis-local");

    public static final String PROPERTY = "headcount.kinesis.emulator";
    public static final String VARIABLE = "HEADCOUNT_KINESIS_EMULATOR";

    private final String label;

    KinesisEmulator(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The one named by the system property, else the environment variable, else the default. */
    public static KinesisEmulator configured() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(VARIABLE);
        }
        return name == null || name.isBlank() ? KINESALITE : named(name);
    }

    public static KinesisEmulator named(String name) {
        return Arrays.stream(values()).filter(e -> e.label.equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Kinesis emulator '" + name
                        + "': kinesalite or kinesis-local"));
    }

    /**
     * Starts it.
     *
     * @param port          0 for any free port
     * @param dataDirectory null to keep everything in memory
     * @param logDirectory  null for target/emulators
     */
    public EmulatorProcess start(int port, Path dataDirectory, Path logDirectory) {
        EmulatorProcess.Builder<?> builder = this == KINESALITE ? Kinesalite.builder() : KinesisLocal.builder();
        builder.port(port).dataDirectory(dataDirectory);
        if (logDirectory != null) {
            builder.logDirectory(logDirectory);
        }
        return builder.start();
    }

    @Override
    public String toString() {
        return label;
    }
}
