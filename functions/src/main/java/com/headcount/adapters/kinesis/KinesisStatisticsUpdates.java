package com.headcount.adapters.kinesis;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.alerts.Alert;
import com.headcount.core.alerts.AlertChannel;
import com.headcount.core.messages.MessageTypes;
import com.headcount.core.stats.SnapshotPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Publishes to `statistics-updates` for the dashboards: {@code stats.updated} (the snapshot) and {@code alert.raised}.
 * The partition key is the event, so one event's updates stay in the order they were put; {@code publishedAt} is the
 * publication's claimed time, which increases per event, so a consumer keeps the latest even if two publications
 * overtook each other on their way to the stream. Samples:
 * events/statistics-updates-stats-updated.json and events/statistics-updates-alert-raised.json.
 */
public final class KinesisStatisticsUpdates implements SnapshotPublisher, AlertChannel {

    private final KinesisClient kinesis;
    private final String stream;
    public KinesisStatisticsUpdates(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    public static Map<String, Object> statsUpdated(String eventId, Map<String, Object> snapshot, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", MessageTypes.STATS_UPDATED);
        m.put("eventId", eventId);
        m.put("publishedAt", at.toString());
        m.put("statistics", snapshot);
        return m;
    }

    public static Map<String, Object> alertRaised(Alert alert) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", MessageTypes.ALERT_RAISED);
        m.put("eventId", alert.eventId());
        m.put("alert", alert.toMap());
        return m;
    }

    @Override
    public void publish(String eventId, Map<String, Object> snapshot, Instant publishedAt) {
        put(eventId, statsUpdated(eventId, snapshot, publishedAt));
    }

    @Override
    public void send(Alert alert) {
        put(alert.eventId(), alertRaised(alert));
    }

    private void put(String eventId, Map<String, Object> message) {
        byte[] data;
        try {
            data = JSON.std.asBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kinesis.putRecord(b -> b.streamName(stream).partitionKey(eventId).data(SdkBytes.fromByteArrayUnsafe(data)));
    }
}
