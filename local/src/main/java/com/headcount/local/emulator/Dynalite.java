package com.headcount.local.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    public static final class Builder {
        private int port;
        private Path dataDirectory;
        private Path emulatorsDirectory;
        private Path logDirectory = Path.of("target", "emulators");
        private Duration startTimeout = Duration.ofSeconds(20);

        private Builder() {
        }

        /** 0 (the default) for any free port; a taken port fails the start with a message naming it. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder emulatorsDirectory(Path emulatorsDirectory) {
            this.emulatorsDirectory = emulatorsDirectory;
            return this;
        }

        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = logDirectory;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Dynalite start() {
            var emulators = Optional.ofNullable(emulatorsDirectory)
                    .map(EmulatorsDirectory::requireInstalled)
                    .orElseGet(EmulatorsDirectory::locate);
            var cli = EmulatorsDirectory.requireFile(emulators, "node_modules/dynalite/cli.js");
            var data = Optional.ofNullable(dataDirectory).map(d -> d.toAbsolutePath().toString());
            return new Dynalite(new Launch(port, emulators, logDirectory.toAbsolutePath(),
                    startTimeout, "/",
                    p -> {
                        var command = new ArrayList<>(List.of("node", cli.toString(),
                                "--host", "127.0.0.1", "--port", Integer.toString(p),
                                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
                        data.ifPresent(d -> command.addAll(List.of("--path", d)));
                        return command;
                    },
                    p -> Map.of()));
        }
    }
}
