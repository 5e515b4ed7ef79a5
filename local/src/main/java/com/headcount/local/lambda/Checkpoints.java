package com.headcount.local.lambda;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a mapping keeps, per shard, the sequence number of the last record it moved past, so that a restart resumes
 * after it (as Lambda keeps its own). Either in memory, or a small JSON file that is replaced whole at every move:
 * a process crash cannot leave it half written, and a lost last write only means one batch comes again (at least
 * once, like Lambda), never a skipped one.
 *
 * <p>A file names the stream and when it was created: a stream made again (a fresh emulator folder) has sequence
 * numbers unrelated to the saved ones, so its old checkpoints are ignored rather than used to skip records.
 */
public final class Checkpoints {

    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());

    private final Path file;
    private final Map<String, String> byShard = new LinkedHashMap<>();
    private String stream;

    private Checkpoints(Path file) {
        this.file = file;
    }

    /** Nothing survives the mapping: every start begins at the configured starting position. */
    public static Checkpoints inMemory() {
        return new Checkpoints(null);
    }

    /** Kept in {@code file} (created on the first move), read back by the next mapping given the same file. */
    public static Checkpoints inFile(Path file) {
        return new Checkpoints(Objects.requireNonNull(file, "file"));
    }

    /**
     * Loads what an earlier run saved for this stream; called once, before the first read.
     *
     * @param streamIdentity the stream's ARN and creation time: checkpoints of another stream are ignored
     */
    synchronized void open(String streamIdentity) {
        stream = streamIdentity;
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            Map<String, Object> saved = JSON.std.mapFrom(Files.readAllBytes(file));
            if (!streamIdentity.equals(saved.get("stream"))) {
                LOG.log(Level.WARNING, "{0} is for {1}, not {2}: starting from the configured position",
                        file, saved.get("stream"), streamIdentity);
                return;
            }
            if (saved.get("shards") instanceof Map<?, ?> shards) {
                shards.forEach((shard, sequence) -> byShard.put(shard.toString(), sequence.toString()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "{0} cannot be read ({1}): starting from the configured position", file, e.toString());
        }
    }

    synchronized Optional<String> of(String shardId) {
        return Optional.ofNullable(byShard.get(shardId));
    }

    synchronized void moved(String shardId, String sequenceNumber) {
        byShard.put(shardId, sequenceNumber);
        if (file == null) {
            return;
        }
        var content = new LinkedHashMap<String, Object>();
        content.put("stream", stream);
        content.put("shards", byShard);
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, JSON.std.asBytes(content));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a checkpoint not saved only means a redelivery after the next restart: say so, keep going
            LOG.log(Level.WARNING, "checkpoint not saved in " + file + ": " + e);
        }
    }

    /** The file, or null in memory. */
    public Path file() {
        return file;
    }
}
