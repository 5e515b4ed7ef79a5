package com.headcount.device.simulator;

import com.headcount.device.Direction;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A simulated event day as a replay: the event started {@link CrowdSettings#AFTER_START} before {@code replayEnd}
 * and every scan is stamped with its own (past) event time. Stamps in the past pass the clock-skew rule (only stamps
 * ahead of arrival are refused) and let a 85-minute arrival curve, with its 5-minute windows, be played in seconds
 * without changing which scans are duplicates. Pure and deterministic: the seed decides everything.
 *
 * @param scansByGate each gate's scans in the order the gate makes them (time order)
 */
public record CrowdScenario(String eventId, Instant eventStart, Instant eventEnd, ZoneId timeZone,
                            List<GateSpec> gates, List<SimulatedParticipant> participants,
                            Map<String, List<PlannedScan>> scansByGate, Instant firstScan, Instant replayEnd,
                            String offlineGateId) {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    public static CrowdScenario generate(String eventId, Instant replayEnd, CrowdSettings settings) {
        Random random = new Random(settings.seed());
        Instant end = replayEnd.truncatedTo(ChronoUnit.MILLIS);
        Instant start = end.minus(CrowdSettings.AFTER_START);
        Instant doors = start.minus(CrowdSettings.BEFORE_START);
        long spanMillis = Duration.between(doors, end).toMillis();
        Instant offlineFrom = doors.plusMillis(Math.round(spanMillis * settings.offlineFrom()));
        Instant offlineUntil = doors.plusMillis(Math.round(spanMillis * settings.offlineUntil()));

        List<SimulatedParticipant> participants = new ArrayList<>();
        for (int i = 1; i <= settings.participants(); i++) {
            participants.add(new SimulatedParticipant(String.format("P-%05d", i),
                    random.nextDouble() >= settings.inactiveShare()));
        }

        List<Scan> scans = new ArrayList<>();
        Generator g = new Generator(random, settings, eventId, doors, start, end);
        for (SimulatedParticipant p : participants) {
            if (p.active() && random.nextDouble() >= settings.attendance()) continue;
            g.arrival(p.participantId(), scans);
        }
        int unknown = (int) Math.round(settings.participants() * settings.attendance() * settings.unknownShare());
        for (int i = 1; i <= unknown; i++) {
            g.arrival(String.format("U-%05d", 90_000 + i), scans);
        }

        scans.sort(Comparator.comparing(Scan::timestamp).thenComparing(Scan::scanId));
        Map<String, List<PlannedScan>> byGate = new LinkedHashMap<>();
        settings.gates().forEach(gate -> byGate.put(gate.gateId(), new ArrayList<>()));
        for (Scan scan : scans) {
            Instant at = scan.timestamp().toInstant();
            boolean offline = scan.gateId().equals(settings.offlineGateId())
                    && !at.isBefore(offlineFrom) && at.isBefore(offlineUntil);
            byGate.get(scan.gateId()).add(new PlannedScan(scan, offline));
        }
        byGate.replaceAll((gate, list) -> List.copyOf(list));
        return new CrowdScenario(eventId, start, start.plus(Duration.ofHours(6)), ZONE, settings.gates(),
                List.copyOf(participants), byGate, doors, end, settings.offlineGateId());
    }

    public int totalScans() {
        return scansByGate.values().stream().mapToInt(List::size).sum();
    }

    /** Every planned scan, gate by gate. */
    public List<PlannedScan> allScans() {
        return scansByGate.values().stream().flatMap(List::stream).toList();
    }

    /** Draws arrivals, methods and repeats; one instance per scenario so the random sequence is fixed. */
    private static final class Generator {
        private final Random random;
        private final CrowdSettings settings;
        private final String eventId;
        private final Instant doors;
        private final Instant start;
        private final Instant end;
        private final double[] gateWeights;

        Generator(Random random, CrowdSettings settings, String eventId, Instant doors, Instant start, Instant end) {
            this.random = random;
            this.settings = settings;
            this.eventId = eventId;
            this.doors = doors;
            this.start = start;
            this.end = end;
            this.gateWeights = settings.gates().stream().mapToDouble(GateSpec::capacityPerMinute).toArray();
        }

        void arrival(String participantId, List<Scan> out) {
            // The curve rises towards the start: a bell 15 minutes wide centred 10 minutes before it.
            Instant at;
            do {
                long offset = (long) ((random.nextGaussian() * 15 - 10) * 60_000);
                at = start.plusMillis(offset);
            } while (at.isBefore(doors) || at.isAfter(end.minus(Duration.ofMinutes(1))));
            String gate = pickGate();
            double m = random.nextDouble();
            ScanMethod method = m < 0.55 ? ScanMethod.BLE_AUTO : m < 0.95 ? ScanMethod.QR_SCAN : ScanMethod.MANUAL;
            add(out, participantId, gate, at, method, Direction.ENTRY);
            if (method == ScanMethod.BLE_AUTO && random.nextDouble() < settings.bleRepeats()) {
                int more = 1 + random.nextInt(3);
                Instant sighting = at;
                for (int i = 0; i < more; i++) {
                    // mostly within the five minutes; now and then a lingering badge is seen again after them
                    long gapSeconds = random.nextDouble() < 0.85 ? 5 + random.nextInt(170) : 300 + random.nextInt(300);
                    sighting = sighting.plusSeconds(gapSeconds).plusMillis(random.nextInt(1000));
                    add(out, participantId, gate, sighting, ScanMethod.BLE_AUTO, Direction.ENTRY);
                }
            }
            if (method == ScanMethod.QR_SCAN && random.nextDouble() < settings.doubleQr()) {
                add(out, participantId, gate, at.plusMillis(800 + random.nextInt(4000)), ScanMethod.QR_SCAN,
                        Direction.ENTRY);
            }
            if (random.nextDouble() < settings.exits()) {
                add(out, participantId, gate, at.plus(Duration.ofMinutes(3 + random.nextInt(40))), ScanMethod.QR_SCAN,
                        Direction.EXIT);
            }
        }

        private String pickGate() {
            double total = 0;
            for (double w : gateWeights) total += w;
            double r = random.nextDouble() * total;
            for (int i = 0; i < gateWeights.length; i++) {
                r -= gateWeights[i];
                if (r < 0) return settings.gates().get(i).gateId();
            }
            return settings.gates().getLast().gateId();
        }

        private void add(List<Scan> out, String participantId, String gateId, Instant at, ScanMethod method,
                         Direction direction) {
            if (at.isAfter(end)) return; // after the replay: not made yet
            String scanId = new UUID(random.nextLong(), random.nextLong()).toString();
            out.add(new Scan(scanId, eventId, participantId, gateId, OffsetDateTime.ofInstant(at, ZONE), method,
                    direction, null, null));
        }
    }
}
