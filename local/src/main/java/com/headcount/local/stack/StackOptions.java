package com.headcount.local.stack;

import com.headcount.adapters.aws.HeadcountSettings;
import com.headcount.local.emulator.KinesisEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the local stack runs: where its data lives, its ports, and the simulator. Each flag has an environment
 * variable of the same meaning; a flag wins over the variable. A port of 0 means any free port (tests).
 */
public record StackOptions(Path dataFolder, Map<Service, Integer> ports, boolean simulator, int simulatedParticipants,
                           int simulationSeconds, boolean exitAfterStart, KinesisEmulator kinesisEmulator,
                           Duration clockInterval, String stage, Simulation simulation) {

    /**
     * What the simulated crowd goes through besides its arrivals. Times are event time after doors open (the replay
     * covers 85 minutes; the arrivals peak at minute 45).
     *
     * @param seed          the crowd's seed (null: the start time, a new crowd each run)
     * @param offlineGate   the gate that loses its connection
     * @param offlineFrom   when it goes (null: the simulator's default stretch, 35 % to 65 % of the replay)
     * @param offlineFor    for how long
     * @param deactivateAt  when an organiser deactivates one participant over the HTTP API (null: nobody)
     */
    public record Simulation(Long seed, String offlineGate, Duration offlineFrom, Duration offlineFor,
                             Duration deactivateAt) {
        public static final Simulation DEFAULT = new Simulation(null, "south", null, null, null);
    }

    /** What listens on a port, with its flag, variable and default. */
    public enum Service {
        MQTT("MQTT broker", "--mqtt-port", "HEADCOUNT_MQTT_PORT", 1883),
        API("HTTP API", "--api-port", "HEADCOUNT_API_PORT", 8080),
        WEBSOCKET("WebSocket API", "--websocket-port", "HEADCOUNT_WEBSOCKET_PORT", 8081),
        DASHBOARD("dashboard", "--dashboard-port", "HEADCOUNT_DASHBOARD_PORT", 8082),
        DYNAMODB("DynamoDB (dynalite)", "--dynamodb-port", "HEADCOUNT_DYNAMODB_PORT", 4567),
        KINESIS("Kinesis", "--kinesis-port", "HEADCOUNT_KINESIS_PORT", 4568),
        IOT_DATA("IoT data plane", "--iot-data-port", "HEADCOUNT_IOT_DATA_PORT", 4569),
        ALLOWLISTS("allow-list bucket", "--allowlist-port", "HEADCOUNT_ALLOWLIST_PORT", 4570);

        public final String label;
        public final String flag;
        public final String variable;
        public final int defaultPort;

        Service(String label, String flag, String variable, int defaultPort) {
            this.label = label;
            this.flag = flag;
            this.variable = variable;
            this.defaultPort = defaultPort;
        }
    }

    public static final String USAGE = """
            bin/local [options]   starts the whole Headcount flow on this machine; Ctrl-C stops it
              --data DIR             where data is kept between runs (HEADCOUNT_DATA_DIR, default .data at the repo root)
              --no-simulator         do not run the crowd simulator (HEADCOUNT_SIMULATOR=false)
              --participants N       simulated crowd size (HEADCOUNT_SIM_PARTICIPANTS, default 1500: about 2 300 scans)
              --simulation-seconds S how long the replay takes in real time (HEADCOUNT_SIM_SECONDS, default 30)
              --seed N               the simulated crowd's seed (HEADCOUNT_SIM_SEED; default the start time)
              --offline GATE:FROM:MINUTES
                                     the gate offline from minute FROM after doors open for MINUTES of event time
                                     (HEADCOUNT_SIM_OFFLINE; default south through the middle 30 % of the replay; the
                                     replay covers 85 minutes, arrivals peak at minute 45: south:35:20 is 20 at the peak)
              --deactivate-at M      at minute M after doors open an organiser deactivates one participant over the
                                     HTTP API, one who comes to the offline gate while it is away after that
                                     (HEADCOUNT_SIM_DEACTIVATE_AT; default nobody); the run then reports each gate answer
                                     the cloud corrected and why
              --exit-after-start     start, print, stop (a smoke test of this command)
              --kinesis-emulator E   kinesalite (default) or kinesis-local (HEADCOUNT_KINESIS_EMULATOR)
              --clock-seconds S      how often the statistics clock and the publish retry run (HEADCOUNT_CLOCK_SECONDS,
                                     default 60, as their schedules in AWS; less to see gate_offline sooner)
              --stage S              the stage the stack plays (HEADCOUNT_STAGE, default local): the second level of
                                     every gate topic, headcount/<stage>/<event>/gates/<gate>/scans|status|decisions
              --mqtt-port, --api-port, --websocket-port, --dashboard-port, --dynamodb-port, --kinesis-port,
              --iot-data-port, --allowlist-port N
                                     (HEADCOUNT_<NAME>_PORT; defaults 1883 8080 8081 8082 4567 4568 4569 4570)
            """;

    public static StackOptions parse(List<String> args, Map<String, String> env, Path repoRoot) {
        Path data = env.containsKey("HEADCOUNT_DATA_DIR") ? Path.of(env.get("HEADCOUNT_DATA_DIR")) : repoRoot.resolve(".data");
        Map<Service, Integer> ports = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            ports.put(s, env.containsKey(s.variable) ? port(env.get(s.variable), s.variable) : s.defaultPort);
        }
        boolean simulator = !"false".equalsIgnoreCase(env.getOrDefault("HEADCOUNT_SIMULATOR", "true"));
        int participants = Integer.parseInt(env.getOrDefault("HEADCOUNT_SIM_PARTICIPANTS", "1500"));
        int seconds = Integer.parseInt(env.getOrDefault("HEADCOUNT_SIM_SECONDS", "30"));
        int clockSeconds = positive(env.getOrDefault("HEADCOUNT_CLOCK_SECONDS", "60"), "HEADCOUNT_CLOCK_SECONDS");
        boolean exitAfterStart = false;
        String stage = env.getOrDefault("HEADCOUNT_STAGE", HeadcountSettings.LOCAL_STAGE);
        Simulation simulation = Simulation.DEFAULT;
        if (env.containsKey("HEADCOUNT_SIM_SEED")) simulation = seed(simulation, env.get("HEADCOUNT_SIM_SEED"));
        if (env.containsKey("HEADCOUNT_SIM_OFFLINE")) simulation = offline(simulation, env.get("HEADCOUNT_SIM_OFFLINE"));
        if (env.containsKey("HEADCOUNT_SIM_DEACTIVATE_AT")) {
            simulation = deactivateAt(simulation, env.get("HEADCOUNT_SIM_DEACTIVATE_AT"));
        }
        KinesisEmulator kinesisEmulator = env.containsKey(KinesisEmulator.VARIABLE)
                ? KinesisEmulator.named(env.get(KinesisEmulator.VARIABLE)) : KinesisEmulator.configured();
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            switch (flag) {
                case "--data" -> data = Path.of(value(rest, flag));
                case "--no-simulator" -> simulator = false;
                case "--participants" -> participants = Integer.parseInt(value(rest, flag));
                case "--simulation-seconds" -> seconds = Integer.parseInt(value(rest, flag));
                case "--exit-after-start" -> exitAfterStart = true;
                case "--kinesis-emulator" -> kinesisEmulator = KinesisEmulator.named(value(rest, flag));
                case "--clock-seconds" -> clockSeconds = positive(value(rest, flag), flag);
                case "--stage" -> stage = value(rest, flag);
                case "--seed" -> simulation = seed(simulation, value(rest, flag));
                case "--offline" -> simulation = offline(simulation, value(rest, flag));
                case "--deactivate-at" -> simulation = deactivateAt(simulation, value(rest, flag));
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> {
                    Service service = null;
                    for (Service s : Service.values()) if (s.flag.equals(flag)) service = s;
                    if (service == null) throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
                    ports.put(service, port(value(rest, flag), flag));
                }
            }
        }
        return new StackOptions(data.toAbsolutePath().normalize(), Map.copyOf(ports), simulator, participants, seconds,
                exitAfterStart, kinesisEmulator, Duration.ofSeconds(clockSeconds), stage(stage), simulation);
    }

    public int port(Service service) {
        return ports.get(service);
    }

    public StackOptions withPorts(Map<Service, Integer> resolved) {
        return new StackOptions(dataFolder, Map.copyOf(resolved), simulator, simulatedParticipants, simulationSeconds,
                exitAfterStart, kinesisEmulator, clockInterval, stage, simulation);
    }

    private static Simulation seed(Simulation s, String text) {
        try {
            return new Simulation(Long.parseLong(text.trim()), s.offlineGate(), s.offlineFrom(), s.offlineFor(),
                    s.deactivateAt());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed (HEADCOUNT_SIM_SEED) must be a whole number, not " + text);
        }
    }

    private static Simulation offline(Simulation s, String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 3 || parts[0].isBlank()) {
            throw new IllegalArgumentException("--offline (HEADCOUNT_SIM_OFFLINE) is GATE:FROM:MINUTES, not " + text);
        }
        return new Simulation(s.seed(), parts[0], minutes(parts[1], "--offline"), minutes(parts[2], "--offline"),
                s.deactivateAt());
    }

    private static Simulation deactivateAt(Simulation s, String text) {
        return new Simulation(s.seed(), s.offlineGate(), s.offlineFrom(), s.offlineFor(), minutes(text, "--deactivate-at"));
    }

    private static Duration minutes(String text, String where) {
        try {
            double minutes = Double.parseDouble(text.trim());
            if (minutes < 0 || Double.isNaN(minutes)) throw new NumberFormatException();
            return Duration.ofMillis(Math.round(minutes * 60_000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " takes minutes (0 or more), not " + text);
        }
    }

    private static String stage(String stage) {
        if (!stage.matches("[a-z][a-z0-9]{0,11}")) {
            throw new IllegalArgumentException("--stage (HEADCOUNT_STAGE) must be a lowercase letter then up to 11 "
                    + "lowercase letters or digits, not " + stage);
        }
        return stage;
    }

    private static String value(List<String> rest, String flag) {
        if (rest.isEmpty()) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        return rest.removeFirst();
    }

    private static int positive(String text, String where) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 1) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a whole number of seconds, at least 1, not " + text);
        }
    }

    private static int port(String text, String where) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a port number (0..65535), not " + text);
        }
    }
}
