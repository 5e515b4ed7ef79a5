package com.headcount.local.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.headcount.adapters.dynamodb.DynamoReferenceData;
import com.headcount.core.reference.AttendanceEvent;
import com.headcount.core.reference.Gate;
import com.headcount.core.reference.Participant;
import com.headcount.device.BrokerConnection;
import com.headcount.device.Direction;
import com.headcount.device.GateClient;
import com.headcount.device.GateConfig;
import com.headcount.device.GateTopics;
import com.headcount.device.Scan;
import com.headcount.device.ScanMethod;
import com.headcount.local.browser.BrowserDriver;
import com.headcount.local.gateway.LocalTokens;
import com.headcount.local.stack.LocalStack;
import com.headcount.local.stack.StackOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organiser's dashboard in headless Chromium against the whole local stack, started as bin/local starts it: real
 * gates publish scans and heartbeats over MQTT, the numbers on screen follow, an overloaded gate shows its alert,
 * losing the WebSocket API shows "stale" until it is back, and a gate that stops (its heartbeats with it) is shown
 * offline with its alert once silent for 2 minutes. The screenshots are kept in local/target.
 */
class DashboardBrowserTest {

    static final Path DASHBOARD = Path.of(System.getProperty("headcount.dashboard.dir"));
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Scans further apart than the statistics' publication interval (1 s): each one shows on its own. */
    static final Duration PACE = Duration.ofMillis(1200);
    /** GateHealth.SILENCE, one tick of the statistics clock (run every 5 s here) and the way to the screen. */
    static final Duration OFFLINE_WAIT = Duration.ofMinutes(3);

    @TempDir
    Path data;

    @Test
    void theOrganisersScreenFollowsTheGatesAndSaysWhenItIsStale() throws Exception {
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--no-simulator", "--clock-seconds", "5"));
        for (StackOptions.Service service : StackOptions.Service.values()) {
            args.add(service.flag);
            args.add("0");
        }
        try (LocalStack stack = LocalStack.start(StackOptions.parse(args, Map.of(), data), new PrintStream(new ByteArrayOutputStream()));
             BrowserDriver browser = new BrowserDriver(DASHBOARD)) {
            String eventId = "doors-open";
            Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
            var reference = new DynamoReferenceData(stack.dynamo(), stack.settings().referenceTable());
            reference.save(AttendanceEvent.withDefaults(eventId, start, start.plus(Duration.ofHours(4)), ZoneId.of("Europe/Berlin")));
            // north lets 2 people a minute through: 9 in 5 minutes is 90 % of its capacity
            reference.save(new Gate(eventId, "north", "North", true, 2));
            reference.save(new Gate(eventId, "south", "South", true, 30));
            reference.saveAll(IntStream.rangeClosed(1, 50).mapToObj(i -> new Participant(eventId, "P-%03d".formatted(i), "active")).toList());
            String token = LocalTokens.inDataFolder(data, Clock.systemUTC())
                    .mint("organiser", List.of("organizer"), List.of(eventId), Duration.ofHours(1));

            GateClient north = gate(stack, eventId, "north");
            try (GateClient south = gate(stack, eventId, "south")) {
                try (north) {
                    north.start();
                    south.start();

                    browser.open(stack.dashboard().url() + "#token=" + token + "&event=" + eventId);
                    browser.waitForAttribute("[data-testid=status]", "data-state", "^live$", WAIT);

                    for (int i = 1; i <= 3; i++) scan(south, eventId, "south", i);
                    browser.waitForText("[data-testid=attended]", "^3$", WAIT);
                    browser.waitForText("[data-testid=attendance-rate]", "^6\\.0 %$", WAIT);
                    browser.waitForText("[data-testid=occupancy]", "^3$", WAIT);
                    browser.waitForText("[data-testid=health-south]", "online", WAIT);

                    for (int i = 4; i <= 12; i++) scan(north, eventId, "north", i);
                    browser.waitForText("[data-testid=attended]", "^12$", WAIT);
                    browser.waitForAttribute("[data-testid=gate-north]", "data-overloaded", "^true$", WAIT);
                    browser.waitForAttribute("[data-testid=gate-south]", "data-overloaded", "^false$", WAIT);
                    String alert = browser.waitForText("#alerts li[data-type=gate_overload][data-gate=north]", "North at 90 %", WAIT);
                    assertEquals("Gate North at 90 % of capacity (9 scans in 5 min, capacity 2/min)", alert.substring(0, alert.indexOf(')') + 1));
                    browser.waitForText("[data-testid=health-north]", "online", WAIT);
                    browser.screenshot(SCREENSHOT);
                }
                // north has stopped: its goodbye was its last heartbeat; south keeps sending its own

                stack.stopWebSocketApi();
                browser.waitForAttribute("[data-testid=status]", "data-state", "^stale$", WAIT);
                browser.waitForText("[data-testid=status-text]", "^stale since", WAIT);
                browser.screenshot(Path.of("target", "dashboard-stale.png"));
                stack.startWebSocketApi();
                browser.waitForAttribute("[data-testid=status]", "data-state", "^live$", WAIT);
                browser.waitForText("[data-testid=attended]", "^12$", WAIT);

                browser.waitForText("#alerts li[data-type=gate_offline][data-gate=north]", "North silent for \\d+ min", OFFLINE_WAIT);
                browser.waitForText("[data-testid=health-north]", "offline", WAIT);
                browser.waitForText("[data-testid=health-south]", "online", WAIT);
                browser.screenshot(Path.of("target", "dashboard-offline.png"));
            }
        }
    }

    private static GateClient gate(LocalStack stack, String eventId, String gateId) throws Exception {
        GateConfig config = GateConfig.of(new BrokerConnection.LocalBroker("127.0.0.1", stack.broker().port(),
                "browser-" + gateId), GateTopics.local(eventId, gateId), stack.options().dataFolder().resolve("gate-" + gateId));
        return new GateClient(config, (decision, wait) -> { });
    }

    private static void scan(GateClient gate, String eventId, String gateId, int participant) throws Exception {
        gate.submit(Scan.now(Clock.systemUTC(), eventId, gateId, "P-%03d".formatted(participant), ScanMethod.QR_SCAN,
                Direction.ENTRY));
        Thread.sleep(PACE);
    }
}
