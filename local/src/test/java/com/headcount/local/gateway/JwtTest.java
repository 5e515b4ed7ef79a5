package com.headcount.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local gateway's token check (in AWS, API Gateway's JWT authorizer does this). */
class JwtTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T09:00:00Z"), ZoneOffset.UTC);

    @Test
    void jwtChecksSignatureExpiryIssuerAudienceAndAlgorithm() throws Exception {
        var jwt = Jwt.hs256(KEY, "iss", "aud", CLOCK);
        String ok = Jwt.mintHs256(KEY, Jwt.claims("s", List.of("viewer"), List.of("e1"), "iss", "aud", CLOCK, Duration.ofMinutes(5)));
        assertEquals(List.of("viewer"), jwt.verify(ok).get("roles"));
        String expired = Jwt.mintHs256(KEY, Jwt.claims("s", List.of(), List.of(), "iss", "aud", CLOCK, Duration.ofMinutes(-5)));
        assertEquals("expired", assertThrows(Jwt.Invalid.class, () -> jwt.verify(expired)).getMessage());
        String otherIssuer = Jwt.mintHs256(KEY, Jwt.claims("s", List.of(), List.of(), "x", "aud", CLOCK, Duration.ofMinutes(5)));
        assertEquals("wrong issuer", assertThrows(Jwt.Invalid.class, () -> jwt.verify(otherIssuer)).getMessage());
        String otherAudience = Jwt.mintHs256(KEY, Jwt.claims("s", List.of(), List.of(), "iss", "x", CLOCK, Duration.ofMinutes(5)));
        assertEquals("wrong audience", assertThrows(Jwt.Invalid.class, () -> jwt.verify(otherAudience)).getMessage());
        String tampered = ok.substring(0, ok.lastIndexOf('.') + 1) + "AAAA";
        assertEquals("bad signature", assertThrows(Jwt.Invalid.class, () -> jwt.verify(tampered)).getMessage());
        String none = "eyJhbGciOiJub25lIn0." + ok.split("\\.")[1] + ".";
        assertEquals("unexpected algorithm", assertThrows(Jwt.Invalid.class, () -> jwt.verify(none)).getMessage());
    }

}
