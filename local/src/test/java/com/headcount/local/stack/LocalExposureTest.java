package com.headcount.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.headcount.local.emulator.Dynalite;
import com.headcount.local.emulator.EmulatorProcess;
import com.headcount.local.emulator.Kinesalite;
import com.headcount.local.emulator.KinesisLocal;
import com.headcount.local.gateway.LocalTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 point 6: the local stack is reachable from this machine only, not from a web page of another origin, and
 * its data folder and token key are its owner's alone.
 */
class LocalExposureTest {

    static final String EVIL = "http://evil.example";
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theEmulatorsListenOnTheLoopbackOnlyAndRefuseOtherOrigins() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "reads listening sockets from /proc (Linux)");
        try (var dynalite = Dynalite.start(); var kinesalite = Kinesalite.start(); var kinesisLocal = KinesisLocal.start()) {
            for (EmulatorProcess emulator : List.of(dynalite, kinesalite, kinesisLocal)) {
                List<String> listening = listeningAddressesOf(emulator.pid());
                assertFalse(listening.isEmpty(), emulator + " listens somewhere");
                for (String address : listening) assertTrue(loopback(address), emulator + " listens on " + address);
            }
            for (EmulatorProcess emulator : List.of(dynalite, kinesalite)) {
                assertRefusesOtherOrigins(emulator.endpoint());
            }
        }
    }

    @Test
    void theIotDataPlaneStandInRefusesOtherOrigins() throws Exception {
        // the refusal comes before the broker is needed
        try (var standIn = IotDataPlaneStandIn.start(0, null)) {
            assertRefusesOtherOrigins(standIn.endpoint());
            if (Files.isReadable(Path.of("/proc/net/tcp"))) {
                List<String> listening = listeningAddressesOn(standIn.endpoint().getPort());
                assertFalse(listening.isEmpty());
                for (String address : listening) assertTrue(loopback(address), "the stand-in listens on " + address);
            }
        }
    }

    @Test
    void theDataFolderAndTheTokenKeyAreTheOwnersAlone(@TempDir Path temp) throws IOException {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path older = Files.createDirectory(temp.resolve("older"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path fresh = temp.resolve("fresh/.data");
        for (Path data : List.of(older, fresh)) {
            var tokens = LocalTokens.inDataFolder(data, Clock.systemUTC());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)), data.toString());
            Path key = data.resolve("local-jwt.key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals(tokens.keyBase64(), LocalTokens.inDataFolder(data, Clock.systemUTC()).keyBase64(),
                    "the key is made once and kept");
            try (Stream<Path> files = Files.list(data)) {
                assertEquals(List.of(key), files.toList(), "no temporary file left behind");
            }
        }
    }

    private void assertRefusesOtherOrigins(URI endpoint) throws Exception {
        var preflight = http.send(HttpRequest.newBuilder(endpoint.resolve("/topics/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", EVIL)
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertNull(preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null), endpoint + " preflight");
        assertEquals(403, preflight.statusCode(), endpoint + " preflight");
        // a "simple" request needs no preflight: the browser sends it and only hides the answer
        var post = http.send(HttpRequest.newBuilder(endpoint.resolve("/topics/x")).header("Origin", EVIL)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, post.statusCode(), endpoint + " POST: " + post.body());
        assertNull(post.headers().firstValue("Access-Control-Allow-Origin").orElse(null), endpoint + " POST");
    }

    private static List<String> listeningAddressesOn(int port) throws IOException {
        String hexPort = String.format("%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String[] f : listening()) if (f[1].endsWith(":" + hexPort)) addresses.add(f[1].split(":")[0]);
        return addresses;
    }

    private static List<String[]> listening() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.isReadable(Path.of(table))) continue;
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A")) rows.add(f);
            }
        }
        return rows;
    }

    /** The local addresses of the sockets the process listens on, as /proc/net/tcp{,6} spell them. */
    private static List<String> listeningAddressesOf(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // not a socket any more
                }
            }
        }
        List<String> addresses = new ArrayList<>();
        for (String[] f : listening()) if (inodes.contains(f[9])) addresses.add(f[1].split(":")[0]);
        return addresses;
    }

    private static boolean loopback(String hex) {
        return hex.equals("0100007F") || hex.equals("00000000000000000000000001000000")
                || hex.equals("0000000000000000FFFF00000100007F");
    }
}
