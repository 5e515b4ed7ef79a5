package com.headcount.local.emulator;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * Kinesis stand-in: kinesis-local (kinesis-mock for Node), on its plain HTTP port. Stream state changes
 * take a millisecond instead of half a second. In memory unless a data directory is given.
 */
public final class KinesisLocal extends EmulatorProcess {

    private static final Duration PERSIST_INTERVAL = Duration.ofMillis(250);
    /** A loaded machine writes a large file slowly; past this the stop goes ahead and the last copy is kept. */
    private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataFile;

    private KinesisLocal(Launch launch, Path dataDirectory) {
        super("kinesis-local", launch);
        this.dataFile = dataDirectory == null ? null : dataDirectory.toAbsolutePath().resolve("kinesis-data.json");
    }

    /**
     * It writes its data only on a timer, straight into its file, and dies at once on a kill: a kill during a write
     * leaves half a file that the next start cannot load. So before the stop, wait for a write that began after now
     * to finish (the file parses again) and keep that copy; after the stop, put the copy back if the last write was
     * cut short.
     */
    @Override
    protected void beforeStop() {
        if (dataFile == null) {
            return;
        }
        var deadline = System.nanoTime() + SAVE_TIMEOUT.toNanos();
        var seen = lastWrite();
        int writes = 0;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(PERSIST_INTERVAL.dividedBy(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            var now = lastWrite();
            if (!now.equals(seen)) {
                writes++;
                seen = now;
            }
            if (writes >= 2 && keepCopyIfComplete()) {
                return;
            }
        }
    }

    @Override
    protected void afterStop() {
        if (dataFile != null) {
            restoreIfCutShort(dataFile);
        }
    }

    private boolean keepCopyIfComplete() {
        try {
            byte[] data = Files.readAllBytes(dataFile);
            if (!parses(data)) {
                return false;
            }
            var temp = savedCopy(dataFile).resolveSibling("kinesis-data.json.tmp");
            Files.write(temp, data);
            Files.move(temp, savedCopy(dataFile), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Also run before a start: a stop that never happened (a killed stack) can leave half a file too. */
    static void restoreIfCutShort(Path dataFile) {
        try {
            if (Files.exists(dataFile) && !parses(Files.readAllBytes(dataFile)) && Files.exists(savedCopy(dataFile))) {
                Files.copy(savedCopy(dataFile), dataFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + dataFile, e);
        }
    }

    private static Path savedCopy(Path dataFile) {
        return dataFile.resolveSibling("kinesis-data.json.saved");
    }

    private static boolean parses(byte[] json) {
        try {
            JSON.std.anyFrom(json);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private FileTime lastWrite() {
        try {
            return Files.getLastModifiedTime(dataFile);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** On a free port, in memory, logging under target/emulators. */
    public static KinesisLocal start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends EmulatorProcess.Builder<Builder> {

        private Builder() {
            super(Duration.ofSeconds(30));
        }

        @Override
        public KinesisLocal start() {
            var emulators = installedEmulators();
            var main = EmulatorsDirectory.requireFile(emulators, "node_modules/kinesis-local/main.js");
            // it reads server.json (its TLS certificate) from the working directory
            var packageDirectory = main.getParent();
            var data = absoluteDataDirectory();
            data.ifPresent(d -> restoreIfCutShort(Path.of(d, "kinesis-data.json")));
            return new KinesisLocal(new Launch(port(), packageDirectory,
                    logDirectory(), startTimeout(), "/healthcheck",
                    p -> node(emulators, main.toString()),
                    p -> {
                        var env = new HashMap<String, String>();
                        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(p));
                        // the TLS port cannot be switched off; it only has to stay out of the way
                        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(freePort()));
                        env.put("AWS_REGION", "us-east-1");
                        for (var setting : List.of("CREATE_STREAM_DURATION", "DELETE_STREAM_DURATION",
                                "REGISTER_STREAM_CONSUMER_DURATION", "DEREGISTER_STREAM_CONSUMER_DURATION",
                                "START_STREAM_ENCRYPTION_DURATION", "STOP_STREAM_ENCRYPTION_DURATION",
                                "MERGE_SHARDS_DURATION", "SPLIT_SHARD_DURATION", "UPDATE_SHARD_COUNT_DURATION",
                                "UPDATE_STREAM_MODE_DURATION")) {
                            env.put(setting, "1ms");
                        }
                        data.ifPresentOrElse(d -> {
                            env.put("SHOULD_PERSIST_DATA", "true");
                            env.put("LOAD_DATA_IF_EXISTS", "true");
                            env.put("PERSIST_PATH", d);
                            env.put("PERSIST_INTERVAL", PERSIST_INTERVAL.toMillis() + "ms");
                        }, () -> env.put("SHOULD_PERSIST_DATA", "false"));
                        return env;
                    }), dataDirectory());
        }
    }
}
