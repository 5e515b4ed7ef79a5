package com.headcount.device;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ CE in this JVM on a fixed local port, standing in for AWS IoT Core; can be stopped and started again.
 * Its sessions are kept on disk, so a persistent subscriber (the backend) keeps its subscription across a restart.
 */
final class EmbeddedBroker implements AutoCloseable {

    private final Path folder;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    EmbeddedBroker(Path folder) throws IOException {
        this.folder = folder;
        this.port = freePort();
    }

    int port() {
        return port;
    }

    void start() throws Exception {
        Path config = Files.createDirectories(folder.resolve("conf"));
        Files.writeString(config.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(Files.createDirectories(folder.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(folder.resolve("extensions")))
                // Otherwise HiveMQ installs its own logback configuration and logs its start-up at INFO.
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().get(30, TimeUnit.SECONDS);
    }

    boolean running() {
        return hivemq != null;
    }

    void stop() throws Exception {
        if (hivemq != null) {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
            hivemq = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
