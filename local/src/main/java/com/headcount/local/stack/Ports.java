package com.headcount.local.stack;

import com.headcount.local.stack.StackOptions.Service;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.EnumMap;
import java.util.Map;

/** Every port is checked before anything starts, so a taken one stops the stack with its name and its flag. */
final class Ports {

    private Ports() {}

    /** Ports of 0 become free ones; a taken port fails with "port N (for X) is already in use; set --x-port". */
    static Map<Service, Integer> claim(Map<Service, Integer> wanted) {
        Map<Service, Integer> resolved = new EnumMap<>(Service.class);
        for (var entry : wanted.entrySet()) {
            Service service = entry.getKey();
            int port = entry.getValue();
            if (port != 0) {
                // the wildcard address: a listener on any interface counts as taken
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    throw new PortInUse("port " + port + " (for " + service.label + ") is already in use; set "
                            + service.flag + " (or " + service.variable + ") to another port");
                }
                if (resolved.containsValue(port)) {
                    throw new PortInUse("port " + port + " is given to two services; set " + service.flag);
                }
                resolved.put(service, port);
            }
        }
        for (var entry : wanted.entrySet()) {
            if (entry.getValue() == 0) {
                int port;
                do {
                    port = free();
                } while (resolved.containsValue(port));
                resolved.put(entry.getKey(), port);
            }
        }
        return resolved;
    }

    private static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    static final class PortInUse extends IllegalStateException {
        PortInUse(String message) {
            super(message);
        }
    }
}
