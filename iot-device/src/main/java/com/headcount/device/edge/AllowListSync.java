package com.headcount.device.edge;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.allowlist.AllowList;
import com.headcount.core.allowlist.AllowListCodec;
import com.headcount.core.allowlist.AllowListDelta;
import com.headcount.core.allowlist.AllowListIntegrityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the gate's allow-list in step with the cloud (docs/architecture.md, "The allow-list"):
 * <ol>
 *   <li>on every connection the gate asks on its {@code allowlist/get} topic, naming the version it holds;</li>
 *   <li>the cloud answers on its {@code allowlist} topic with the current version and SHA-256, and, unless the gate is
 *       current, a short-lived URL of the compressed list. The answer comes over MQTT, so over the gate's mutual TLS:
 *       the hash it carries is the cloud's, and the body fetched over plain server TLS (a presigned URL) is checked
 *       against it before anything is used;</li>
 *   <li>while connected, each change arrives as a delta on the event's {@code allowlist/deltas} topic, proven by the
 *       hash of the list it makes; a delta that does not fit the list held makes the gate ask for the whole list.</li>
 * </ol>
 * All of it runs on one thread of its own: a download never holds up the MQTT client or a scan.
 */
public final class AllowListSync implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AllowListSync.class.getName());

    /** Publishes a request for the list on the gate's request topic. */
    @FunctionalInterface
    public interface Requester {
        void request(byte[] body);
    }

    /** Fetches a URL's body. */
    @FunctionalInterface
    public interface Fetcher {
        byte[] get(URI url) throws IOException, InterruptedException;
    }

    private final String eventId;
    private final AllowListStore store;
    private final Requester requester;
    private final Fetcher fetcher;
    private final ExecutorService worker;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong loaded = new AtomicLong();

    public AllowListSync(String eventId, AllowListStore store, Requester requester, Fetcher fetcher) {
        this.eventId = eventId;
        this.store = store;
        this.requester = requester;
        this.fetcher = fetcher;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "allow-list-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Over HTTPS (or loopback HTTP locally), 30 s at most. */
    public static Fetcher httpFetcher() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return url -> {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) throw new IOException("allow-list fetch answered " + response.statusCode());
            return response.body();
        };
    }

    /** The gate is connected and subscribed: ask what is current. */
    public void connected() {
        worker.execute(this::request);
    }

    public void disconnected() {
        store.disconnected();
    }

    /** The cloud's answer on the gate's allowlist topic. */
    public void onAnswer(byte[] json) {
        worker.execute(() -> {
            try {
                Map<String, Object> m = JSON.std.mapFrom(json);
                if (!eventId.equals(m.get("eventId"))) throw new AllowListIntegrityException("answer for event " + m.get("eventId"));
                long version = ((Number) m.get("version")).longValue();
                String hash = (String) m.get("sha256");
                Optional<AllowList> held = store.list();
                if (held.isPresent() && held.get().version() == version && hash.equals(store.sha256().orElse(null))) {
                    store.confirmed();
                    return;
                }
                if (held.isPresent() && held.get().version() > version) {
                    LOG.log(System.Logger.Level.WARNING, "the cloud announces v" + version + ", older than the v"
                            + held.get().version() + " held: kept");
                    return;
                }
                Object url = m.get("url");
                if (url == null) throw new AllowListIntegrityException("answer for a newer version without a URL");
                byte[] body = fetcher.get(URI.create(url.toString()));
                AllowList list = AllowListCodec.verified(body, eventId, version, hash);
                store.replace(list, body, hash);
                loaded.incrementAndGet();
                LOG.log(System.Logger.Level.INFO, "allow-list v" + version + " loaded: " + list.participantCount()
                        + " participants, " + body.length + " bytes");
            } catch (IOException | RuntimeException e) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "allow-list not loaded, the gate keeps what it holds: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A change published on the event's deltas topic. */
    public void onDelta(byte[] json) {
        worker.execute(() -> {
            try {
                AllowListDelta delta = AllowListDelta.fromJson(json);
                if (!eventId.equals(delta.eventId())) return;
                Optional<AllowList> held = store.list();
                if (held.isPresent() && held.get().version() >= delta.toVersion()) return; // already has it
                if (held.isEmpty()) throw new AllowListDelta.Gap("no list to apply a delta to");
                AllowList next = delta.applyTo(held.get());
                store.applied(next, delta.sha256());
                loaded.incrementAndGet();
            } catch (AllowListDelta.Gap | AllowListIntegrityException e) {
                LOG.log(System.Logger.Level.INFO, "delta not applied (" + e.getMessage() + "): asking for the whole list");
                request();
            } catch (IOException | RuntimeException e) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "delta not applied: " + e);
            }
        });
    }

    /** Lists and deltas taken since the start. */
    public long loaded() {
        return loaded.get();
    }

    /** Answers, bodies or deltas refused (unreadable, wrong hash, failed download). */
    public long refused() {
        return refused.get();
    }

    private void request() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", eventId);
        m.put("haveVersion", store.list().map(AllowList::version).orElse(null));
        try {
            requester.request(JSON.std.asBytes(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "allow-list not requested: " + e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            // a fetch under way may still be writing the list into the gate's folder: let it finish before the gate
            // (or a test's temporary folder) goes away
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "allow-list fetch still running after 5 s at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
