package com.headcount.bench.load;

import com.headcount.core.scan.GateMessage;
import com.headcount.device.Decision;
import com.headcount.device.Scan;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishers that are not ours: Mosquitto's {@code mosquitto_pub -l} per gate (QoS 1, MQTT 5, up to 20 in flight,
 * its default), and one {@code mosquitto_sub} on every gate's decisions topic. A scan is timed from the moment its
 * line is handed to mosquitto_pub to the moment mosquitto_sub prints its decision, so the numbers do not depend on
 * Headcount's gate client. No queue on disk, so no queue wait to report.
 */
final class MosquittoPublishers implements Publishers {

    private final List<Process> publishers = new ArrayList<>();
    private final List<BufferedWriter> lines = new ArrayList<>();
    private final Process subscriber;
    private final Map<String, Long> madeAt = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean probeSeen;

    MosquittoPublishers(BenchEvent event, int mqttPort, Tracker tracker) throws Exception {
        String port = Integer.toString(mqttPort);
        // the stage StackProcess starts the stack with, whatever HEADCOUNT_STAGE the shell has
        String stage = com.headcount.device.GateTopics.LOCAL_STAGE;
        String decisions = GateMessage.topic(stage, event.eventId(), "+", "decisions");
        subscriber = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-q", "1",
                "-i", "bench-sub-" + event.eventId(), "-t", decisions).redirectErrorStream(true).start();
        reader = Thread.ofPlatform().name("mosquitto-sub").daemon().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    long now = System.nanoTime();
                    if (line.contains("bench-probe")) {
                        probeSeen = true;
                        continue;
                    }
                    try {
                        Decision decision = Decision.fromJson(line.getBytes(StandardCharsets.UTF_8));
                        Long made = madeAt.get(decision.scanId());
                        tracker.decided(decision, made == null ? -1 : now - made, -1);
                    } catch (Exception e) {
                        // not a decision line (mosquitto's own messages): nothing to time
                    }
                }
            } catch (Exception e) {
                // the subscriber was stopped
            }
        });
        // subscribed once a message of our own comes back through it
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!probeSeen) {
            new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-q", "1",
                    "-t", GateMessage.topic(stage, event.eventId(), "probe", "decisions"), "-m", "bench-probe")
                    .redirectErrorStream(true).start().waitFor();
            Thread.sleep(200);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mosquitto_sub did not subscribe on port " + mqttPort);
            }
        }
        for (String gateId : event.gateIds()) {
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-q", "1",
                    "-i", "bench-pub-" + event.eventId() + "-" + gateId,
                    "-t", GateMessage.topic(stage, event.eventId(), gateId, "scans"), "-l")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            publishers.add(pub);
            lines.add(new BufferedWriter(new OutputStreamWriter(pub.getOutputStream(), StandardCharsets.UTF_8)));
        }
    }

    @Override
    public void send(int gate, Scan scan, boolean measure) throws Exception {
        BufferedWriter out = lines.get(gate);
        synchronized (out) {
            madeAt.put(scan.scanId(), System.nanoTime());
            out.write(new String(scan.toJson(), StandardCharsets.UTF_8));
            out.newLine();
            out.flush();
        }
    }

    @Override
    public long queued() {
        return -1;
    }

    @Override
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>(publishers.stream().map(Process::pid).toList());
        pids.add(subscriber.pid());
        return pids;
    }

    @Override
    public String describe() {
        return publishers.size() + " mosquitto_pub -l (QoS 1) and one mosquitto_sub";
    }

    @Override
    public void close() throws Exception {
        for (BufferedWriter out : lines) {
            out.close(); // end of input: mosquitto_pub sends what it has and exits
        }
        for (Process pub : publishers) {
            if (!pub.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                pub.destroy();
            }
        }
        subscriber.destroy();
        subscriber.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(5));
    }
}
