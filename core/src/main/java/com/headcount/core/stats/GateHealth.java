package com.headcount.core.stats;

import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gates' health from their heartbeats: what the statistics show per gate, and the {@code gate_offline} condition.
 *
 * <p>A gate is watched once it has been heard from: gates that never send heartbeats (a staff phone on the HTTP API)
 * are shown as {@code unknown} and never alerted on. A watched gate silent for {@link #SILENCE} while the event takes
 * scans (from doors open, an hour before the start, to the end) is offline. The condition is evaluated by the
 * statistics clock, since silence is what no scan batch will ever report; its episodes follow the same rules as every
 * alert (raised once, re-armed when the gate is heard again).
 */
public final class GateHealth {

    public static final String GATE_OFFLINE = "gate_offline";
    /** Gates send a heartbeat every 30 s: four missed in a row is not a blip. */
    public static final Duration SILENCE = Duration.ofMinutes(2);

    public static final String ONLINE = "online";
    /** Heard lately, but its last word was that it lost (or closed) its connection. */
    public static final String DISCONNECTED = "disconnected";
    public static final String OFFLINE = "offline";
    public static final String UNKNOWN = "unknown";

    private GateHealth() {}

    /** One gate's {@code gate_offline} condition at one moment. */
    public record OfflineCheck(String gateId, boolean holds, long silentSeconds, long thresholdSeconds, String message) {}

    /** One check per active gate that has been heard from, in the order of {@code gates}. */
    public static List<OfflineCheck> offline(AttendanceEvent event, Collection<Gate> gates,
                                             Map<String, GateHeartbeat> heartbeats, Instant now, Duration silence) {
        boolean takingScans = !now.isBefore(event.start().minus(AttendanceEvent.SCAN_MARGIN)) && !now.isAfter(event.end());
        List<OfflineCheck> checks = new ArrayList<>();
        for (Gate gate : gates) {
            GateHeartbeat last = heartbeats.get(gate.gateId());
            if (!gate.active() || last == null) continue;
            long silent = Math.max(0, Duration.between(last.receivedAt(), now).toSeconds());
            boolean holds = takingScans && silent > silence.toSeconds();
            checks.add(new OfflineCheck(gate.gateId(), holds, silent, silence.toSeconds(), String.format(Locale.ROOT,
                    "Gate %s silent for %d min %02d s (no heartbeat since %s)", gate.name(), silent / 60, silent % 60,
                    last.receivedAt())));
        }
        return checks;
    }

    /** The {@code health} section of one gate in the statistics. */
    public static Map<String, Object> of(GateHeartbeat last, Instant now, Duration silence) {
        Map<String, Object> h = new LinkedHashMap<>();
        if (last == null) {
            h.put("status", UNKNOWN);
            h.put("lastSeen", null);
            return h;
        }
        long silent = Math.max(0, Duration.between(last.receivedAt(), now).toSeconds());
        String status = silent > silence.toSeconds() ? OFFLINE : Boolean.FALSE.equals(last.connected()) ? DISCONNECTED : ONLINE;
        h.put("status", status);
        h.put("lastSeen", last.receivedAt().toString());
        h.put("silentSeconds", silent);
        h.put("connected", last.connected());
        h.put("backlog", last.queueLength());
        h.put("oldestQueuedAt", last.oldestQueuedAt() == null ? null : last.oldestQueuedAt().toString());
        h.put("clockOffsetMs", last.clockOffsetMs());
        h.put("version", last.version());
        // the allow-list keeps ageing while the gate is silent: its age now is what it said plus the silence since
        h.put("allowListVersion", last.allowListVersion());
        h.put("allowListAgeSeconds", last.allowListAgeSeconds() == null ? null : last.allowListAgeSeconds() + silent);
        return h;
    }

    /** Puts each gate's {@code health} into a statistics snapshot's {@code gates} section. */
    public static void addTo(Map<String, Object> snapshot, Map<String, GateHeartbeat> heartbeats, Instant now) {
        if (!(snapshot.get("gates") instanceof Map<?, ?> gates)) return;
        for (var entry : gates.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> gate) {
                @SuppressWarnings("unchecked")
                Map<String, Object> g = (Map<String, Object>) gate;
                g.put("health", of(heartbeats.get(String.valueOf(entry.getKey())), now, SILENCE));
            }
        }
    }
}
