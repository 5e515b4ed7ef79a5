package com.headcount.local.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWS tokens, HS256 and RS256, with the JDK only. In AWS, API Gateway's JWT authorizer verifies tokens
 * before the function runs; locally the gateway verifies them with this class and a local key, so both paths hand
 * the function the same claims.
 *
 * <p>The algorithm comes from the verifier's key, never from the token's header (the "alg: none" and HS/RS
 * confusion attacks).
 */
public final class Jwt {

    /** Why a token was refused; the text is safe to show (it never echoes the token). */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Base64.Encoder B64_OUT = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN_CHARS = 8192;

    private final String algorithm;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final Duration leeway;

    private Jwt(String algorithm, byte[] secret, PublicKey publicKey, String issuer, String audience, Clock clock,
                Duration leeway) {
        this.algorithm = algorithm;
        this.secret = secret;
        this.publicKey = publicKey;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.leeway = leeway;
    }

    public static Jwt hs256(byte[] secret, String issuer, String audience, Clock clock) {
        if (secret.length < 32) throw new IllegalArgumentException("an HS256 key needs at least 256 bits");
        return new Jwt("HS256", secret.clone(), null, issuer, audience, clock, Duration.ofSeconds(30));
    }

    public static Jwt rs256(PublicKey key, String issuer, String audience, Clock clock) {
        return new Jwt("RS256", null, key, issuer, audience, clock, Duration.ofSeconds(30));
    }

    /** Verifies signature, exp, nbf, iss and aud; returns the claims. */
    public Map<String, Object> verify(String token) throws Invalid {
        if (token == null || token.isEmpty()) throw new Invalid("no token");
        if (token.length() > MAX_TOKEN_CHARS) throw new Invalid("token too long");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new Invalid("not a compact JWS");
        Map<String, Object> header = json(parts[0], "header");
        if (!algorithm.equals(header.get("alg"))) throw new Invalid("unexpected algorithm");
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2], "signature");
        if (!signatureMatches(signingInput, signature)) throw new Invalid("bad signature");

        Map<String, Object> claims = json(parts[1], "claims");
        long now = clock.instant().getEpochSecond();
        Long exp = seconds(claims.get("exp"), "exp");
        if (exp == null) throw new Invalid("no exp");
        if (now > exp + leeway.toSeconds()) throw new Invalid("expired");
        Long nbf = seconds(claims.get("nbf"), "nbf");
        if (nbf != null && now + leeway.toSeconds() < nbf) throw new Invalid("not valid yet");
        if (issuer != null && !issuer.equals(claims.get("iss"))) throw new Invalid("wrong issuer");
        if (audience != null && !audienceMatches(claims.get("aud"))) throw new Invalid("wrong audience");
        return claims;
    }

    /** Makes an HS256 token (local stack and tests; in AWS the identity provider issues tokens). */
    public static String mintHs256(byte[] secret, Map<String, Object> claims) {
        String header = B64_OUT.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body;
        try {
            body = B64_OUT.encodeToString(JSON.std.asBytes(claims));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        String input = header + "." + body;
        return input + "." + B64_OUT.encodeToString(hmac(secret, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Claims of a Headcount token: subject, roles, events ("*" for all), issued now, valid for {@code ttl}. */
    public static Map<String, Object> claims(String subject, List<String> roles, List<String> events, String issuer,
                                             String audience, Clock clock, Duration ttl) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + ttl.toSeconds());
        claims.put("roles", roles);
        claims.put("events", events);
        return claims;
    }

    private boolean signatureMatches(byte[] input, byte[] signature) throws Invalid {
        if (secret != null) return MessageDigest.isEqual(hmac(secret, input), signature);
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey);
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Invalid("bad signature");
        }
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    private boolean audienceMatches(Object aud) {
        if (aud instanceof String s) return audience.equals(s);
        if (aud instanceof List<?> list) return list.contains(audience);
        return false;
    }

    private static Long seconds(Object raw, String name) throws Invalid {
        if (raw == null) return null;
        if (raw instanceof Number n && !(raw instanceof Double d && !Double.isFinite(d))) return n.longValue();
        throw new Invalid(name + " is not a number");
    }

    private static Map<String, Object> json(String part, String what) throws Invalid {
        try {
            Object value = JSON.std.anyFrom(decode(part, what));
            if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) map;
                return m;
            }
        } catch (IOException | RuntimeException e) {
            // falls through to the common answer
        }
        throw new Invalid(what + " is not a JSON object");
    }

    private static byte[] decode(String part, String what) throws Invalid {
        try {
            return B64.decode(part);
        } catch (IllegalArgumentException e) {
            throw new Invalid(what + " is not base64url");
        }
    }

    /**
     * The token's scopes, where API Gateway's JWT authorizer reads them: {@code scope} (space-separated) or
     * {@code scp} (a string or an array).
     */
    public static java.util.Set<String> scopes(Map<String, Object> claims) {
        java.util.Set<String> scopes = new java.util.HashSet<>();
        for (String name : List.of("scope", "scp")) {
            Object v = claims.get(name);
            if (v instanceof String s) scopes.addAll(List.of(s.trim().split("\\s+")));
            if (v instanceof List<?> list) list.forEach(e -> scopes.add(String.valueOf(e)));
        }
        scopes.remove("");
        return scopes;
    }

    /**
     * The first grant claim the function would refuse as ambiguous ({@code Caller.requireUnambiguous}), so that the
     * local gateway refuses it as early as the function does in AWS.
     */
    public static Optional<String> ambiguousGrantClaim(Map<String, Object> claims) {
        try {
            com.headcount.core.access.Caller.requireUnambiguous(claims);
            return Optional.empty();
        } catch (com.headcount.core.access.AccessDenied d) {
            return Optional.of(d.detail());
        }
    }

    /** The bearer token of an Authorization header value, if it has one. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null) return Optional.empty();
        String v = authorization.trim();
        if (v.length() < 8 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        return Optional.of(v.substring(7).trim());
    }
}
