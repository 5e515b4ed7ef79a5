package com.headcount.local.gateway;

import com.headcount.core.api.Routes;
import com.headcount.local.stack.PrivateFiles;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The local stack's token issuer: one HS256 key, from HEADCOUNT_LOCAL_JWT_KEY (base64, at least 32 bytes) or made
 * at start-up, never written to the repository. Run {@code main} to mint a token for curl:
 * {@code HEADCOUNT_LOCAL_JWT_KEY=... java -cp ... com.headcount.local.gateway.LocalTokens organizer demo-day}.
 */
public final class LocalTokens {

    public static final String ISSUER = "headcount-local";
    public static final String AUDIENCE = "headcount-api";
    public static final String KEY_VARIABLE = "HEADCOUNT_LOCAL_JWT_KEY";

    private final byte[] key;
    private final Clock clock;

    public LocalTokens(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    public static LocalTokens fromEnvironmentOrRandom(Clock clock) {
        String configured = System.getenv(KEY_VARIABLE);
        if (configured != null && !configured.isBlank()) return new LocalTokens(Base64.getDecoder().decode(configured.trim()), clock);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new LocalTokens(key, clock);
    }

    public Jwt verifier() {
        return Jwt.hs256(key, ISSUER, AUDIENCE, clock);
    }

    public String mint(String subject, List<String> roles, List<String> events, Duration ttl) {
        return mint(subject, roles, events, List.of(), ttl);
    }

    /** @param gates where a gate-staff grant may scan ({@code "*"}: every gate); none: nowhere */
    public String mint(String subject, List<String> roles, List<String> events, List<String> gates, Duration ttl) {
        var claims = Jwt.claims(subject, roles, events, ISSUER, AUDIENCE, clock, ttl);
        if (!gates.isEmpty()) claims.put("gates", gates);
        claims.put("scope", scopesFor(roles));
        return Jwt.mintHs256(key, claims);
    }

    /** A kiosk's lifetime at most: one day of an event, so a screen's token is dead by the next morning. */
    public static final Duration KIOSK_MAX_LIFETIME = Duration.ofHours(12);

    /**
     * A kiosk (venue screen) credential: viewer of one event with the scope {@code headcount/dashboard} alone, so it
     * gets connect tickets and statistics and nothing else. In AWS the identity provider issues it to a client that
     * has only that scope (docs/api.md).
     */
    public String kiosk(String subject, String eventId, Duration ttl) {
        if (ttl.compareTo(KIOSK_MAX_LIFETIME) > 0) throw new IllegalArgumentException("a kiosk token lives at most " + KIOSK_MAX_LIFETIME);
        var claims = Jwt.claims(subject, List.of(), List.of(), ISSUER, AUDIENCE, clock, ttl);
        claims.remove("roles");
        claims.remove("events");
        claims.put("eventRoles", List.of(eventId + ":viewer"));
        claims.put("scope", Routes.Scopes.DASHBOARD);
        return Jwt.mintHs256(key, claims);
    }

    /**
     * A staff phone's credential (docs/api.md, "A gate-bound staff credential"): gate staff of one event, at the gates
     * named only, with the staff app's scopes, in the per-event claim an identity provider maps it into.
     */
    public String gateStaff(String subject, String eventId, List<String> gates, Duration ttl) {
        if (gates.isEmpty()) throw new IllegalArgumentException("a staff token without gates records nowhere");
        var claims = Jwt.claims(subject, List.of(), List.of(), ISSUER, AUDIENCE, clock, ttl);
        claims.remove("roles");
        claims.remove("events");
        claims.put("eventRoles", List.of(eventId + ":gate-staff"));
        claims.put("gates", gates);
        claims.put("scope", scopesFor(List.of("gate-staff")));
        return Jwt.mintHs256(key, claims);
    }

    /**
     * The local stack's key: from {@link #KEY_VARIABLE} if set, else kept in the data folder (made once, readable by
     * the owner only, in a folder only the owner may open) so that tokens printed at one start still work after the
     * next.
     */
    public static LocalTokens inDataFolder(java.nio.file.Path dataFolder, Clock clock) {
        String configured = System.getenv(KEY_VARIABLE);
        if (configured != null && !configured.isBlank()) return fromEnvironmentOrRandom(clock);
        var file = dataFolder.resolve("local-jwt.key");
        try {
            PrivateFiles.folder(dataFolder);
            if (!java.nio.file.Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    PrivateFiles.writeNew(file, Base64.getEncoder().encode(key));
                } catch (java.nio.file.FileAlreadyExistsException madeByAnotherStart) {
                    // that key stands: tokens it printed must keep working
                }
            }
            return new LocalTokens(Base64.getDecoder().decode(java.nio.file.Files.readString(file).trim()), clock);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read or create the local token key " + file, e);
        }
    }

    /**
     * What the identity provider would grant the app each role uses: the local tokens stand for a staff phone's app,
     * an organiser's console and a dashboard.
     */
    static String scopesFor(List<String> roles) {
        java.util.Set<String> scopes = new java.util.LinkedHashSet<>();
        if (roles.contains("organizer")) scopes.add(Routes.Scopes.SETUP);
        if (roles.contains("organizer") || roles.contains("gate-staff")) scopes.add(Routes.Scopes.SCANS);
        if (!roles.isEmpty()) scopes.add(Routes.Scopes.READ);
        return String.join(" ", scopes);
    }

    /** The key in the form {@link #KEY_VARIABLE} takes, for a shell that wants to mint more tokens. */
    public String keyBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Usage: LocalTokens ROLE[,ROLE] EVENT[,EVENT|*] [GATE[,GATE]|*] [TTL-MINUTES]; prints a token. */
    public static void main(String[] args) {
        if (args.length < 2 || System.getenv(KEY_VARIABLE) == null) {
            System.err.println("usage: " + KEY_VARIABLE + "=<base64 key> LocalTokens organizer|gate-staff|viewer EVENT|* "
                    + "[GATE,GATE|*] [minutes]\n   or: LocalTokens kiosk EVENT [minutes, at most 720]");
            System.exit(2);
        }
        if (args[0].equals("kiosk")) {
            long minutes = args.length > 2 ? Long.parseLong(args[2]) : 720;
            System.out.println(fromEnvironmentOrRandom(Clock.systemUTC()).kiosk("kiosk", args[1], Duration.ofMinutes(minutes)));
            return;
        }
        // the gates are optional: a number in third place is the lifetime, as before gates were named
        boolean gatesGiven = args.length > 2 && !args[2].matches("\\d+");
        List<String> gates = gatesGiven ? Arrays.asList(args[2].split(",")) : List.of();
        int minutesAt = gatesGiven ? 3 : 2;
        long minutes = args.length > minutesAt ? Long.parseLong(args[minutesAt]) : 60;
        var tokens = fromEnvironmentOrRandom(Clock.systemUTC());
        System.out.println(tokens.mint("local-user", Arrays.asList(args[0].split(",")), Arrays.asList(args[1].split(",")),
                gates, Duration.ofMinutes(minutes)));
    }
}
