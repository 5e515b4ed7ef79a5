package com.headcount.bench.load;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.local.emulator.EmulatorsDirectory;
import com.headcount.local.emulator.KinesisEmulator;
import com.headcount.local.stack.StackOptions.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as {@code bin/local --no-simulator} runs it, in a JVM of its own, so that its CPU is measured apart
 * from the publishers' and a stop is the one a user makes (SIGTERM: the drain, then everything stops).
 */
public final class StackProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final Map<Service, Integer> ports;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private StackProcess(Process process, Map<Service, Integer> ports, Path log) {
        this.process = process;
        this.ports = ports;
        this.log = log;
    }

    static StackProcess start(Path data, KinesisEmulator emulator) throws IOException, InterruptedException {
        return start(data, emulator, freePorts(), List.of(), List.of());
    }

    /** A port for each service, free now. */
    public static Map<Service, Integer> freePorts() throws IOException {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, freePort());
        }
        return ports;
    }

    /**
     * On the given ports (the same ones again after a crash: the gates reconnect where they were), with extra JVM
     * properties ({@code -Dname=value}) and stack options.
     */
    public static StackProcess start(Path data, KinesisEmulator emulator, Map<Service, Integer> ports,
                                     List<String> jvmProperties, List<String> stackOptions)
            throws IOException, InterruptedException {
        Files.createDirectories(data);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-D" + EmulatorsDirectory.PROPERTY + "=" + EmulatorsDirectory.locate(),
                "-Dlogback.configurationFile=headcount-local-logback.xml"));
        command.addAll(jvmProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.headcount.local.stack.LocalStack",
                "--no-simulator", "--data", data.toString(), "--kinesis-emulator", emulator.label(),
                "--stage", com.headcount.device.GateTopics.LOCAL_STAGE));
        command.addAll(stackOptions);
        ports.forEach((service, port) -> command.addAll(List.of(service.flag, Integer.toString(port))));
        Path log = data.resolve("bench-stack.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        StackProcess stack = new StackProcess(process, ports, log);
        long since = Files.size(log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(log).substring((int) Math.min(since, Files.size(log))).contains("started in")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stack.close();
                throw new IllegalStateException("the stack did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return stack;
    }

    public int port(Service service) {
        return ports.get(service);
    }

    public Map<Service, Integer> ports() {
        return Map.copyOf(ports);
    }

    public URI dynamoDb() {
        return URI.create("http://127.0.0.1:" + port(Service.DYNAMODB));
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL, as a crash or the out-of-memory killer would: no drain, no shutdown hook.
     *
     * @return the processes the stack had started that are still alive 10 s after its death (orphans)
     */
    public List<ProcessHandle> kill() throws InterruptedException {
        var descendants = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        http.close();
        // the emulators end themselves when their pipe from the JVM closes: an orphan is one still there after that
        for (ProcessHandle child : descendants) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException stillAlive) {
                // reported below
            }
        }
        return descendants.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** The stack's counters ({@code /metrics} on the dashboard port). */
    public Map<String, Object> metrics() {
        try {
            var response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port(Service.DASHBOARD) + "/metrics")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return JSON.std.mapFrom(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as Ctrl-C: the stack drains and stops its emulators; forced after a minute. */
    @Override
    public void close() throws InterruptedException {
        http.close();
        var descendants = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
