package com.headcount.device.edge;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.allowlist.AllowListIntegrityException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gate's allow-list and how current it is, kept on disk so a gate that restarts offline still decides.
 *
 * <p>The list is stored as the cloud sent it (gzip, {@code allowlist.gz}) next to {@code allowlist.json} (event,
 * version, SHA-256, when it was last known current); both are replaced by an atomic rename, the list first. On open the
 * stored list is verified against its hash again: a damaged disk means no list (the gate fetches one), never a wrong one.
 *
 * <p><b>Age.</b> While the gate is connected and has heard from the cloud on this connection (a list, a delta, or "you
 * are current"), its list is current: every change since reaches it as a delta. From the moment it disconnects, the
 * age grows from that moment ({@link #disconnected}). So the age says how long the gate may have missed changes.
 */
public final class AllowListStore {

    private static final System.Logger LOG = System.getLogger(AllowListStore.class.getName());

    private final Path folder;
    private final String eventId;
    private final Clock clock;
    private volatile AllowList list;
    private volatile String sha256;
    private volatile Instant confirmedAt;
    private volatile boolean inSync;

    private AllowListStore(Path folder, String eventId, Clock clock) {
        this.folder = folder;
        this.eventId = eventId;
        this.clock = clock;
    }

    public static AllowListStore open(Path folder, String eventId, Clock clock) throws IOException {
        Files.createDirectories(folder);
        AllowListStore store = new AllowListStore(folder, eventId, clock);
        Path body = folder.resolve("allowlist.gz");
        Path meta = folder.resolve("allowlist.json");
        if (Files.exists(body) && Files.exists(meta)) {
            try {
                Map<String, Object> m = JSON.std.mapFrom(Files.readAllBytes(meta));
                long version = ((Number) m.get("version")).longValue();
                String hash = (String) m.get("sha256");
                store.list = AllowListCodec.verified(Files.readAllBytes(body), eventId, version, hash);
                store.sha256 = hash;
                store.confirmedAt = Instant.parse((String) m.get("confirmedAt"));
            } catch (IOException | RuntimeException e) {
                // not the list that was stored: decide nothing from it, fetch a new one when connected
                LOG.log(System.Logger.Level.WARNING, "stored allow-list refused, the gate will fetch it again: " + e);
                store.list = null;
            }
        }
        return store;
    }

    public Optional<AllowList> list() {
        return Optional.ofNullable(list);
    }

    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /** How long the gate may have missed changes; empty without a list. */
    public Optional<Duration> age() {
        if (list == null) return Optional.empty();
        if (inSync) return Optional.of(Duration.ZERO);
        Duration age = Duration.between(confirmedAt, clock.instant());
        return Optional.of(age.isNegative() ? Duration.ZERO : age);
    }

    /** A whole list, verified by the caller, as the cloud sent it: stored, and current from now. */
    public synchronized void replace(AllowList verified, byte[] compressed, String hash) throws IOException {
        if (!verified.eventId().equals(eventId)) throw new AllowListIntegrityException("allow-list of another event");
        AllowList held = list;
        if (held != null && verified.version() < held.version()) {
            throw new AllowListIntegrityException("v" + verified.version() + " is older than the v" + held.version() + " held");
        }
        Instant now = clock.instant();
        write(folder.resolve("allowlist.gz"), compressed);
        writeMeta(verified.version(), hash, now);
        list = verified;
        sha256 = hash;
        confirmedAt = now;
        inSync = true;
    }

    /** A delta applied (and proven by its hash): the list in memory at once, on disk compressed anew. */
    public void applied(AllowList next, String hash) throws IOException {
        replace(next, AllowListCodec.gzip(AllowListCodec.canonical(next)), hash);
    }

    /** The cloud says the list held is its current one. */
    public synchronized void confirmed() throws IOException {
        if (list == null) return;
        Instant now = clock.instant();
        writeMeta(list.version(), sha256, now);
        confirmedAt = now;
        inSync = true;
    }

    /** The connection is gone: changes may be missed from now on. */
    public synchronized void disconnected() {
        if (inSync) {
            confirmedAt = clock.instant();
            inSync = false;
            try {
                writeMeta(list.version(), sha256, confirmedAt);
            } catch (IOException e) {
                // the age on disk stays at the last confirmation: older, so on the safe side
                LOG.log(System.Logger.Level.WARNING, "allow-list age not stored: " + e);
            }
        }
    }

    public boolean inSync() {
        return inSync;
    }

    private void writeMeta(long version, String hash, Instant confirmed) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", eventId);
        m.put("version", version);
        m.put("sha256", hash);
        m.put("confirmedAt", confirmed.toString());
        write(folder.resolve("allowlist.json"), JSON.std.asBytes(m));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
