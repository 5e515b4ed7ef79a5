package com.headcount.adapters.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery, Stripe style:
 * <pre>
 * X-Headcount-Signature: t=&lt;unix seconds&gt;,v1=&lt;lowercase hex HMAC-SHA256(secret, "&lt;t&gt;." + raw body bytes)&gt;
 * </pre>
 * The timestamp is inside the signed content, so a captured request cannot be replayed later with a fresh
 * timestamp; receivers reject timestamps outside their tolerance. Several {@code v1} entries may appear (while a
 * secret is rotated); one match is enough.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Headcount-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String ALGORITHM = "HmacSHA256";

    public enum Verification {
        VALID,
        /** Header missing, unparsable, or without {@code t} or {@code v1}. */
        MALFORMED,
        /** No {@code v1} matches: wrong secret or altered body or timestamp. */
        MISMATCH,
        /** Genuine, but signed outside the tolerance: a replay or a badly wrong clock. */
        STALE;

        public boolean isValid() {
            return this == VALID;
        }
    }

    private WebhookSignature() {
    }

    /** The header value for {@code body} signed at {@code timestamp}. */
    public static String sign(WebhookSecret secret, Instant timestamp, byte[] body) {
        long t = timestamp.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret.key(), t, body));
    }

    public static Verification verify(String secret, String header, String body, Instant now, Duration tolerance) {
        return verify(WebhookSecret.of(secret), header, body.getBytes(StandardCharsets.UTF_8), now, tolerance);
    }

    /**
     * What a receiver runs on the raw request body, before parsing it.
     *
     * @param tolerance how far the signed timestamp may be from {@code now}, either way
     */
    public static Verification verify(WebhookSecret secret, String header, byte[] body, Instant now,
                                      Duration tolerance) {
        if (header == null) {
            return Verification.MALFORMED;
        }
        Long t = null;
        List<String> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return Verification.MALFORMED;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (t != null) {
                    return Verification.MALFORMED;
                }
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return Verification.MALFORMED;
                }
            } else if (key.equals("v1")) {
                candidates.add(value.toLowerCase(java.util.Locale.ROOT));
            }
            // Other schemes (a future v2) are ignored, so receivers keep working while senders add them.
        }
        if (t == null || candidates.isEmpty()) {
            return Verification.MALFORMED;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret.key(), t, body)).getBytes(StandardCharsets.US_ASCII);
        boolean matches = false;
        for (String candidate : candidates) {
            // Constant time, so response timing does not reveal how much of a forged signature was right.
            matches |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        if (!matches) {
            return Verification.MISMATCH;
        }
        long skew = Math.abs(now.getEpochSecond() - t);
        return skew > tolerance.toSeconds() ? Verification.STALE : Verification.VALID;
    }

    private static byte[] hmac(byte[] key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // Every JDK ships HmacSHA256; reaching this is a broken runtime, not bad input.
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
