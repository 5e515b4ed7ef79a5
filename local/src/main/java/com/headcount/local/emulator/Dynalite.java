package com.headcount.local.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB stand-in: a dynalite process. Tables become ACTIVE at once, so nobody waits on CREATING.
 * In memory unless a data directory is given (a LevelDB store that survives restarts).
 */
public final class Dynalite extends EmulatorProcess {

    private Dynalite(Launch launch) {
        super("dynalite", launch);
    }

    /** On a free port, in memory, logging under target/emulators. */
    public static Dynalite start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends EmulatorProcess.Builder<Builder> {

        private Builder() {
            super(Duration.ofSeconds(20));
        }

        @Override
        public Dynalite start() {
            var emulators = installedEmulators();
            var cli = EmulatorsDirectory.requireFile(emulators, "node_modules/dynalite/cli.js");
            var data = absoluteDataDirectory();
            return new Dynalite(new Launch(port(), emulators, logDirectory(), startTimeout(), "/",
                    p -> {
                        var command = new ArrayList<>(node(emulators, cli.toString(),
                                "--host", "127.0.0.1", "--port", Integer.toString(p),
                                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
                        data.ifPresent(d -> command.addAll(List.of("--path", d)));
                        return command;
                    },
                    p -> Map.of()));
        }
    }
}
