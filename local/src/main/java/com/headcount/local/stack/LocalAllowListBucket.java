package com.headcount.local.stack;

import com.headcount.core.allowlist.AllowLists;
import com.headcount.core.scan.IdRule;
import com.headcount.local.lambda.AwsCalls;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The allow-lists' bucket on this machine: the compressed lists as files in the data folder, served over loopback
 * HTTP to whoever holds a URL this store signed. A URL names its object and when it expires, and carries an
 * HMAC-SHA256 of both under a key made at the first start (a file of the data folder, readable by its owner only, like
 * the local token key): S3's presigned URL in miniature. Refused: anything but GET, an unsigned, forged or expired
 * URL, and any request a web page makes (it carries {@code Origin}, or {@code Sec-Fetch-Site} other than "none"),
 * so a page open in the developer's browser cannot read the participants; except a request from the dashboard site's
 * own origins (the staff check-in page fetching its gate's list), answered with CORS headers for that origin only, as
 * the bucket's CORS rule does in AWS.
 */
public final class LocalAllowListBucket implements AllowLists.Store, AutoCloseable {

    static final String KEY_FILE = "local-allowlist.key";
    private static final Pattern PATH = Pattern.compile("/([^/]+)/([0-9]{1,18})\\.gz");

    private final HttpServer server;
    private final Path folder;
    private final byte[] key;
    private final Clock clock;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Set<String> allowedOrigins;

    private LocalAllowListBucket(HttpServer server, Path folder, byte[] key, Clock clock, Set<String> allowedOrigins) {
        this.server = server;
        this.folder = folder;
        this.key = key;
        this.clock = clock;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** Serves {@code folder} on 127.0.0.1:{@code port} to no web page. */
    public static LocalAllowListBucket start(int port, Path dataFolder, Clock clock) throws IOException {
        return start(port, dataFolder, clock, Set.of());
    }

    /**
     * Serves {@code folder} on 127.0.0.1:{@code port}; the signing key is the data folder's, made on first use.
     *
     * @param allowedOrigins the pages that may fetch a signed URL (the dashboard site's origins, e.g.
     *                       {@code http://localhost:8082}); every other origin is refused
     */
    public static LocalAllowListBucket start(int port, Path dataFolder, Clock clock, Set<String> allowedOrigins)
            throws IOException {
        Path folder = PrivateFiles.folder(dataFolder.resolve("allowlists"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        LocalAllowListBucket bucket = new LocalAllowListBucket(server, folder, key(dataFolder), clock, allowedOrigins);
        server.createContext("/", bucket::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return bucket;
    }

    private static byte[] key(Path dataFolder) throws IOException {
        Path file = dataFolder.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                PrivateFiles.writeNew(file, Base64.getEncoder().encode(key));
            } catch (java.nio.file.FileAlreadyExistsException madeByAnotherStart) {
                // that key stands: URLs it signed must keep working until they expire
            }
        }
        return Base64.getDecoder().decode(Files.readString(file).trim());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Objects served, and requests refused (unsigned, forged, expired, cross-origin, missing). */
    public long served() {
        return served.get();
    }

    public long refused() {
        return refused.get();
    }

    @Override
    public void put(String eventId, long version, byte[] gzip) {
        Path file = file(eventId, version);
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, gzip);
            // a reader sees the old object or the whole new one, as with S3
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> get(String eventId, long version) {
        try {
            Path file = file(eventId, version);
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI url(String eventId, long version, Duration validFor) {
        String path = "/" + eventId + "/" + version + ".gz";
        long expires = clock.instant().plus(validFor).getEpochSecond();
        return URI.create(endpoint() + path + "?expires=" + expires + "&signature=" + signature(path, expires));
    }

    /**
     * This store as one function sees it: each call recorded as the IAM action it is in AWS (a presigned URL reads
     * with its signer's grant, so handing one out needs s3:GetObject), for the grants test.
     */
    public AllowLists.Store as(String function, String prefix) {
        String resource = "ALLOWLIST_BUCKET/" + prefix + "*";
        LocalAllowListBucket bucket = this;
        return new AllowLists.Store() {
            @Override
            public void put(String eventId, long version, byte[] gzip) {
                AwsCalls.record(function, "s3:PutObject " + resource);
                bucket.put(eventId, version, gzip);
            }

            @Override
            public Optional<byte[]> get(String eventId, long version) {
                AwsCalls.record(function, "s3:GetObject " + resource);
                return bucket.get(eventId, version);
            }

            @Override
            public URI url(String eventId, long version, Duration validFor) {
                AwsCalls.record(function, "s3:GetObject " + resource);
                return bucket.url(eventId, version, validFor);
            }
        };
    }

    private Path file(String eventId, long version) {
        if (!IdRule.valid(eventId) || eventId.startsWith(".")) throw new IllegalArgumentException("not an event id: " + eventId);
        return folder.resolve(eventId).resolve(version + ".gz");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
            boolean allowedPage = origin != null && allowedOrigins.contains(origin);
            // a page's request without Origin (an <img>, a <script>, a navigation) is never the check-in page's fetch
            if (!allowedPage && (origin != null || (site != null && !site.equals("none")))) {
                refuse(exchange, 403, "cross-origin requests are refused");
                return;
            }
            // the answer differs by Origin: a cache between must not hand one page's answer to another
            exchange.getResponseHeaders().add("Vary", "Origin");
            if (allowedPage) exchange.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
            if (!"GET".equals(exchange.getRequestMethod())) {
                refuse(exchange, 405, "only GET of a signed URL is served here");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Matcher m = PATH.matcher(path);
            String query = exchange.getRequestURI().getRawQuery();
            String expires = parameter(query, "expires");
            String signature = parameter(query, "signature");
            if (!m.matches() || !IdRule.valid(m.group(1)) || m.group(1).startsWith(".") || expires == null
                    || signature == null || !expires.matches("[0-9]{1,12}")) {
                refuse(exchange, 403, "not a signed URL");
                return;
            }
            if (!MessageDigest.isEqual(signature(path, Long.parseLong(expires)).getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII))) {
                refuse(exchange, 403, "signature does not match");
                return;
            }
            if (clock.instant().getEpochSecond() > Long.parseLong(expires)) {
                refuse(exchange, 403, "URL expired");
                return;
            }
            Optional<byte[]> body = get(m.group(1), Long.parseLong(m.group(2)));
            if (body.isEmpty()) {
                refuse(exchange, 404, "no such object");
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/gzip");
            exchange.getResponseHeaders().add("Cache-Control", "private, no-store");
            exchange.sendResponseHeaders(200, body.get().length);
            exchange.getResponseBody().write(body.get());
            served.incrementAndGet();
        }
    }

    private String signature(String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("GET\n" + path + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static String parameter(String query, String name) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) return pair.substring(name.length() + 1);
        }
        return null;
    }

    private void refuse(HttpExchange exchange, int status, String message) throws IOException {
        refused.incrementAndGet();
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
