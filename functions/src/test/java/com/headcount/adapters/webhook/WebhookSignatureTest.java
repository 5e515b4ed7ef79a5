package com.headcount.adapters.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.headcount.adapters.webhook.WebhookSignature.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final WebhookSecret SECRET = WebhookSecret.of("whsec_test");
    private static final String BODY = "{\"type\":\"gate_overload\",\"gateId\":\"north\"}";
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(1_767_225_600L);
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    @Test
    void signsTimestampDotRawBody() {
        // Known answer, computed independently:
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
        //   b"1767225600.{\"type\":\"gate_overload\",\"gateId\":\"north\"}", hashlib.sha256).hexdigest())'
        assertEquals("t=1767225600,v1=80ce53b27aaae08821be8a97b1d1105b2f512ef2ce65975dc29523c4854668c5",
                WebhookSignature.sign(SECRET, SIGNED_AT, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsItsOwnSignatureWithinTolerance() {
        String header = sign(BODY);
        assertEquals(Verification.VALID,
                WebhookSignature.verify("whsec_test", header, BODY, SIGNED_AT.plusSeconds(300), TOLERANCE));
        assertEquals(Verification.VALID,
                WebhookSignature.verify("whsec_test", header, BODY, SIGNED_AT.minusSeconds(300), TOLERANCE),
                "a receiver's clock slightly behind is fine");
    }

    @Test
    void rejectsAStaleOrFarFutureTimestamp() {
        String header = sign(BODY);
        assertEquals(Verification.STALE,
                WebhookSignature.verify("whsec_test", header, BODY, SIGNED_AT.plusSeconds(301), TOLERANCE));
        assertEquals(Verification.STALE,
                WebhookSignature.verify("whsec_test", header, BODY, SIGNED_AT.minusSeconds(301), TOLERANCE));
    }

    @Test
    void rejectsAReplayWithAFreshTimestamp() {
        String replayed = sign(BODY).replace("t=1767225600", "t=1767229200");
        assertEquals(Verification.MISMATCH,
                WebhookSignature.verify("whsec_test", replayed, BODY, SIGNED_AT.plusSeconds(3600), TOLERANCE),
                "the timestamp is inside the signed content");
    }

    @Test
    void rejectsTamperedBodiesAndWrongSecrets() {
        String header = sign(BODY);
        assertEquals(Verification.MISMATCH, WebhookSignature.verify("whsec_test", header,
                BODY.replace("north", "south"), SIGNED_AT, TOLERANCE));
        assertEquals(Verification.MISMATCH, WebhookSignature.verify("whsec_other", header, BODY, SIGNED_AT, TOLERANCE));
    }

    @Test
    void acceptsAnyMatchingV1WhileASecretIsRotated() {
        String oldSignature = WebhookSignature.sign(WebhookSecret.of("whsec_old"), SIGNED_AT, bytes(BODY));
        String both = sign(BODY) + "," + oldSignature.substring(oldSignature.indexOf("v1="));
        assertEquals(Verification.VALID, WebhookSignature.verify("whsec_old", both, BODY, SIGNED_AT, TOLERANCE));
        assertEquals(Verification.VALID, WebhookSignature.verify("whsec_test", both, BODY, SIGNED_AT, TOLERANCE));
    }

    @Test
    void rejectsMalformedHeaders() {
        for (String header : new String[] {null, "", "v1=abc", "t=1767225600", "t=soon,v1=abc", "garbage",
                "t=1,t=2,v1=abc"}) {
            assertEquals(Verification.MALFORMED,
                    WebhookSignature.verify("whsec_test", header, BODY, SIGNED_AT, TOLERANCE), "header " + header);
        }
    }

    @Test
    void theSecretIsNeverPrinted() {
        assertFalse(SECRET.toString().contains("whsec_test"));
        WebhookConfig config = WebhookConfig.fromEnvironment(Map.of(
                WebhookConfig.URLS_VARIABLE, "https://hooks.example/T0/secret-token",
                WebhookConfig.SECRET_VARIABLE, "whsec_test"));
        assertFalse(config.toString().contains("whsec_test"), config.toString());
        assertFalse(config.toString().contains("secret-token"), config.toString());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> WebhookConfig.fromEnvironment(Map.of()));
        assertEquals("environment variable HEADCOUNT_WEBHOOK_SECRET (webhook secret) is not set", missing.getMessage());
    }

    private static String sign(String body) {
        return WebhookSignature.sign(SECRET, SIGNED_AT, bytes(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
