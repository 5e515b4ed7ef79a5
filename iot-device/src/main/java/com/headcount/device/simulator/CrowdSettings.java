package com.headcount.device.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a simulated crowd. Shares are of all participants (or, for repeats, of the scans that could repeat).
 *
 * @param seed             the same seed gives the same crowd, scan ids included
 * @param attendance       share of active participants who come at all
 * @param inactiveShare    share of registered participants whose ticket is cancelled (they come anyway)
 * @param unknownShare     scans of badges nobody registered, as a share of arrivals
 * @param bleRepeats       chance that a BLE arrival is seen again (1 to 3 more sightings, mostly within 5 minutes)
 * @param doubleQr         chance that a QR arrival is scanned twice within seconds
 * @param exits            chance that a participant leaves later and is scanned going out
 * @param offlineGateId    the gate that loses its connection for a while (null: none)
 * @param offlineFrom      when it goes offline, as a share of the replayed span (0..1)
 * @param offlineUntil     when it is back, as a share of the replayed span
 */
public record CrowdSettings(long seed, int participants, List<GateSpec> gates, double attendance, double inactiveShare,
                            double unknownShare, double bleRepeats, double doubleQr, double exits,
                            String offlineGateId, double offlineFrom, double offlineUntil) {

    /** How much event time a run replays: doors open at start − 55 min, the replay ends 30 min after the start. */
    public static final Duration BEFORE_START = Duration.ofMinutes(55);
    public static final Duration AFTER_START = Duration.ofMinutes(30);

    public CrowdSettings {
        Objects.requireNonNull(gates, "gates");
        if (participants < 1) throw new IllegalArgumentException("participants must be at least 1");
        if (gates.isEmpty()) throw new IllegalArgumentException("at least one gate");
        gates = List.copyOf(gates);
    }

    /** Four gates of different sizes, one of which ("south") is offline through the peak. */
    public static CrowdSettings defaults(long seed, int participants) {
        return new CrowdSettings(seed, participants, List.of(
                new GateSpec("north", "North entrance", 40),
                new GateSpec("south", "South entrance", 30),
                new GateSpec("east", "East entrance", 20),
                new GateSpec("vip", "VIP desk", 6)),
                0.85, 0.03, 0.02, 0.5, 0.15, 0.05, "south", 0.35, 0.65);
    }

    /** The replayed span: from doors open to the end of the replay. */
    public static Duration span() {
        return BEFORE_START.plus(AFTER_START);
    }

    /**
     * The same crowd with {@code gateId} offline from {@code from} after doors open for {@code length} of event time:
     * an operator says "20 minutes at the peak", not a share of the replay.
     */
    public CrowdSettings withOffline(String gateId, Duration from, Duration length) {
        double spanMillis = span().toMillis();
        double until = from.plus(length).toMillis() / spanMillis;
        if (from.isNegative() || until > 1) {
            throw new IllegalArgumentException("the offline stretch must lie within the " + span().toMinutes()
                    + " minutes the replay covers");
        }
        return new CrowdSettings(seed, participants, gates, attendance, inactiveShare, unknownShare, bleRepeats, doubleQr,
                exits, gateId, from.toMillis() / spanMillis, until);
    }
}
