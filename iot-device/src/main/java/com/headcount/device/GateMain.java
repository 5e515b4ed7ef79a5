package com.headcount.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A gate on the command line. Configuration comes from the environment ({@link GateConfig} names), each overridable
 * by a {@code NAME=value} argument. Then, one per line on stdin:
 * <pre>
 *   P-1042 [ble_auto|qr_scan|manual] [entry|exit]   a scan of that participant (default qr_scan)
 *   gen 50                                           50 scans of random participants P-1..P-500
 *   stats                                            queue length, scan-to-decision times, allow-list version and age
 * </pre>
 * At end of input it waits up to 10 s for queued scans to go out; whatever is left is sent on the next run.
 */
public final class GateMain {

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>(System.getenv());
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("arguments are NAME=value, got " + arg);
            }
            settings.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        GateConfig config = GateConfig.fromEnvironment(settings);
        String eventId = config.topics().eventId();
        String gateId = config.topics().gateId();
        Clock clock = Clock.systemDefaultZone();

        DecisionListener screen = new DecisionListener() {
            @Override
            public void onDecision(Decision decision, java.util.Optional<ScanTiming> wait) {
                System.out.printf("%s %s%s%s%n", decision.scanId(), decision.outcome(),
                        decision.reason() == null ? "" : " (" + decision.reason() + ")",
                        wait.map(w -> " in " + w.scanToDecision().toMillis() + " ms").orElse(""));
            }

            @Override
            public void onProvisional(com.headcount.device.edge.GateAnswer answer) {
                System.out.println(answer.describe());
            }

            @Override
            public void onCorrection(com.headcount.device.edge.Correction correction) {
                System.out.println(correction.describe());
            }
        };
        try (GateClient gate = new GateClient(config, screen)) {
            gate.start();
            System.out.printf("gate %s for event %s; %d scans waiting from before%n", gateId, eventId, gate.queuedScans());
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
                String[] words = line.trim().split("\\s+");
                try {
                    if (words[0].isEmpty()) {
                        continue;
                    } else if (words[0].equals("stats")) {
                        System.out.println("queued=" + gate.queuedScans() + " " + gate.scanToDecision() + " "
                                + gate.allowListStatus() + " corrections=" + gate.corrections());
                    } else if (words[0].equals("gen")) {
                        int count = Integer.parseInt(words[1]);
                        for (int i = 0; i < count; i++) {
                            String participant = "P-" + ThreadLocalRandom.current().nextInt(1, 501);
                            gate.submit(Scan.now(clock, eventId, gateId, participant, ScanMethod.BLE_AUTO, Direction.ENTRY));
                        }
                    } else {
                        ScanMethod method = words.length > 1 ? ScanMethod.fromWireName(words[1]) : ScanMethod.QR_SCAN;
                        Direction direction = words.length > 2 ? Direction.fromWireName(words[2]) : Direction.ENTRY;
                        Scan scan = gate.submit(Scan.now(clock, eventId, gateId, words[0], method, direction));
                        System.out.println("queued " + scan.scanId());
                    }
                } catch (IllegalArgumentException | IndexOutOfBoundsException | IOException e) {
                    System.out.println("not done: " + e.getMessage());
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (gate.queuedScans() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            System.out.println("queued=" + gate.queuedScans() + " " + gate.scanToDecision());
        }
    }
}
