package com.headcount.local.emulator;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kinesis stand-in: a kinesalite process (LevelDB, by the author of dynalite; speaks the CBOR the Java SDK sends).
 * Streams become ACTIVE at once. In memory unless a data directory is given; with one, every write is in LevelDB
 * when the call returns, so a kill loses nothing it acknowledged.
 */
public final class Kinesalite extends EmulatorProcess {

    /** Its default (10 shards over all streams) is AWS's old account limit; the tests make many small streams. */
    private static final int SHARD_LIMIT = 10_000;
    /** Its command line listens on every interface; started from this line it takes the loopback address. */
    private static final String LAUNCH = "require(process.argv[1])(JSON.parse(process.argv[2]))"
            + ".listen(+process.argv[3], '127.0.0.1')";

    private Kinesalite(Launch launch) {
        super("kinesalite", launch);
    }

    /** On a free port, in memory, logging under target/emulators. */
    public static Kinesalite start() {
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
        public Kinesalite start() {
            var emulators = installedEmulators();
            var module = EmulatorsDirectory.requireFile(emulators, "node_modules/kinesalite/index.js");
            var options = options(absoluteDataDirectory());
            return new Kinesalite(new Launch(port(), emulators, logDirectory(), startTimeout(), "/",
                    p -> node(emulators, "-e", LAUNCH, module.toString(), options, Integer.toString(p)),
                    p -> Map.of()));
        }

        private static String options(Optional<String> data) {
            var options = new LinkedHashMap<String, Object>();
            options.put("createStreamMs", 0);
            options.put("deleteStreamMs", 0);
            options.put("updateStreamMs", 0);
            options.put("shardLimit", SHARD_LIMIT);
            data.ifPresent(d -> options.put("path", d));
            try {
                return JSON.std.asString(options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
