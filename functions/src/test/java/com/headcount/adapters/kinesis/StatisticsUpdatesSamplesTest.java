package com.headcount.adapters.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.Alert;
import com.headcount.core.reference.Gate;
import com.headcount.core.stats.EventAggregates;
import com.headcount.core.stats.Figures;
import com.headcount.core.stats.StatisticsSnapshot;
import com.headcount.testing.Scans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samples in events/ have the layout the code writes, section by section, so consumers can code against them. */
class StatisticsUpdatesSamplesTest {

    static Map<String, Object> sample(String name) throws IOException {
        return JSON.std.mapFrom(Files.readString(Path.of("..", "events", name)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStatsUpdatedSampleHasTheSnapshotLayout() throws IOException {
        Instant now = Scans.START.plus(Duration.ofHours(2));
        var aggs = EventAggregates.empty();
        aggs.overall.add("attended", 3);
        aggs.overall.max(StatisticsSnapshot.UPDATED_AT, now.toEpochMilli());
        aggs.gate("north").add("scans", 3);
        aggs.gate("north").add("method.qr_scan", 3);
        aggs.hour(Figures.hourKey(now, Scans.EVENT_SETTINGS.timeZone())).add("scans", 3);
        Alert alert = new Alert(Alert.idOf(Scans.EVENT, Alert.GATE_OVERLOAD, "north", 1), Alert.GATE_OVERLOAD,
                Scans.EVENT, "north", 1, now, 0.9, 0.8, "m");
        Map<String, Object> built = KinesisStatisticsUpdates.statsUpdated(Scans.EVENT, StatisticsSnapshot.of(
                Scans.EVENT_SETTINGS, List.of(new Gate(Scans.EVENT, "north", "North", true, 30)), 10, aggs,
                List.of(alert), now), now);
        built = JSON.std.mapFrom(JSON.std.asString(built));
        Map<String, Object> sample = sample("statistics-updates-stats-updated.json");

        assertEquals(built.keySet(), sample.keySet());
        assertEquals(sample.get("type"), built.get("type"));
        var b = (Map<String, Object>) built.get("statistics");
        var s = (Map<String, Object>) sample.get("statistics");
        assertEquals(b.keySet(), s.keySet(), "sections");
        assertEquals(((Map<?, ?>) b.get("overall")).keySet(), ((Map<?, ?>) s.get("overall")).keySet());
        assertEquals(((Map<?, ?>) ((Map<?, ?>) b.get("gates")).get("north")).keySet(),
                ((Map<?, ?>) ((Map<?, ?>) s.get("gates")).get("north")).keySet());
        assertEquals(((Map<?, ?>) ((List<?>) b.get("hourly")).get(0)).keySet(),
                ((Map<?, ?>) ((List<?>) s.get("hourly")).get(0)).keySet());
        assertEquals(((Map<?, ?>) ((List<?>) b.get("alerts")).get(0)).keySet(),
                ((Map<?, ?>) ((List<?>) s.get("alerts")).get(0)).keySet());
    }

    @Test
    void theAlertSamplesReadAndWriteBackUnchanged() throws IOException {
        Map<String, Object> raised = sample("statistics-updates-alert-raised.json");
        @SuppressWarnings("unchecked")
        Alert alert = Alert.fromMap((Map<String, Object>) raised.get("alert"));
        assertEquals(raised, JSON.std.mapFrom(JSON.std.asString(KinesisStatisticsUpdates.alertRaised(alert))));
        Map<String, Object> low = sample("alert-low-attendance.json");
        assertEquals(low, JSON.std.mapFrom(JSON.std.asString(Alert.fromMap(low).toMap())));
    }
}
