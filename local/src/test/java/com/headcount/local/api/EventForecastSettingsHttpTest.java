package com.headcount.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.local.testing.Emulators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event set-up route takes the forecast's per-event settings, keeps them, and refuses malformed ones. */
@ExtendWith(Emulators.Extension.class)
class EventForecastSettingsHttpTest {

    @Test
    void anEventKeepsItsForecastSettingsAndDefaultsWhenNoneAreGiven(Emulators emulators) {
        try (var h = new ApiHarness(emulators)) {
            String organizer = h.token("organizer", "*");
            Map<String, Object> keynote = Map.of("showUpRate", 0.7, "priorWeight", 0.5,
                    "arrivalProfile", List.of(0, 0.05, 0.1, 0.8, 0.95, 1));
            var put = h.json("PUT", "/api/v1/events/forecast-keynote", organizer, Map.of("start", "2026-11-26T09:00:00Z",
                    "end", "2026-11-26T13:00:00Z", "forecast", keynote));
            assertEquals(200, put.status(), put.body());
            var read = h.get("/api/v1/events/forecast-keynote", organizer);
            assertEquals(Map.of("showUpRate", 0.7, "priorWeight", 0.5, "arrivalProfile", List.of(0.0, 0.05, 0.1, 0.8, 0.95, 1.0)),
                    numbersAsDoubles(read.json().get("forecast")), read.body());

            var plain = h.json("PUT", "/api/v1/events/forecast-plain", organizer, Map.of("start", "2026-11-26T09:00:00Z",
                    "end", "2026-11-26T13:00:00Z"));
            assertEquals(Map.of("showUpRate", 0.85, "priorWeight", 0.25, "arrivalProfile", "observed"),
                    numbersAsDoubles(plain.json().get("forecast")), "the defaults");
            var uniform = h.json("PUT", "/api/v1/events/forecast-uniform", organizer, Map.of("start", "2026-11-26T09:00:00Z",
                    "end", "2026-11-26T13:00:00Z", "forecast", Map.of("arrivalProfile", "uniform")));
            assertEquals("uniform", ((Map<?, ?>) uniform.json().get("forecast")).get("arrivalProfile"));

            for (Object bad : List.of(Map.of("arrivalProfile", List.of(0, 0.6, 0.5, 1)), Map.of("arrivalProfile", "late"),
                    Map.of("showUpRate", 1.2), Map.of("priorWeight", -1), Map.of("profile", "uniform"), "observed")) {
                var refused = h.json("PUT", "/api/v1/events/forecast-bad", organizer, Map.of("start", "2026-11-26T09:00:00Z",
                        "end", "2026-11-26T13:00:00Z", "forecast", bad));
                ApiHttpTest.assertProblem(refused, 400, "invalid_body");
            }
            assertEquals(404, h.get("/api/v1/events/forecast-bad", organizer).status(), "nothing stored on a refusal");
        }
    }

    /** JSON numbers come back as Integer, Long or Double: compared as doubles. */
    static Object numbersAsDoubles(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof List<?> l) return l.stream().map(EventForecastSettingsHttpTest::numbersAsDoubles).toList();
        if (v instanceof Map<?, ?> m) {
            var out = new java.util.LinkedHashMap<Object, Object>();
            m.forEach((k, x) -> out.put(k, numbersAsDoubles(x)));
            return out;
        }
        return v;
    }
}
