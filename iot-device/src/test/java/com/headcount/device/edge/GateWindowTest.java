package com.headcount.device.edge;

import static com.headcount.device.edge.EdgeFixtures.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateWindowTest {

    static final Instant AT = EdgeFixtures.START.plusSeconds(3600);

    @TempDir
    Path folder;

    @Test
    void anAcceptedScanStillHoldsItsWindowAfterARestart() throws Exception {
        Path file = folder.resolve("window.log");
        try (GateWindow window = GateWindow.open(file)) {
            window.accept(scan("s1", "P-1", AT));
        }
        try (GateWindow reopened = GateWindow.open(file)) {
            var first = reopened.collidingWith(scan("s2", "P-1", AT.plusSeconds(120))).orElseThrow();
            assertEquals("s1", first.scanId());
            assertEquals(AT, first.scannedAt());
            assertTrue(reopened.collidingWith(scan("s3", "P-2", AT)).isEmpty(), "another participant");
        }
    }

    @Test
    void theWindowIsThreeHundredThousandMillisecondsEitherSideBoundsIncluded() throws Exception {
        try (GateWindow window = GateWindow.open(folder.resolve("window.log"))) {
            window.accept(scan("s1", "P-1", AT));
            assertTrue(window.collidingWith(scan("a", "P-1", AT.plusMillis(300_000))).isPresent());
            assertTrue(window.collidingWith(scan("b", "P-1", AT.minusMillis(300_000))).isPresent(), "a late upload");
            assertFalse(window.collidingWith(scan("c", "P-1", AT.plusMillis(300_001))).isPresent());
            assertFalse(window.collidingWith(scan("d", "P-1", AT.minusMillis(300_001))).isPresent());
            var exit = new com.headcount.core.scan.Scan("e", EdgeFixtures.EVENT, "P-1", EdgeFixtures.GATE, AT, "Z",
                    com.headcount.core.scan.ScanMethod.QR_SCAN, com.headcount.core.scan.Direction.EXIT, null, null);
            assertFalse(window.collidingWith(exit).isPresent(), "an exit does not collide with an entry");
        }
    }

    @Test
    void aScanTheCloudDidNotAcceptIsReleasedForGoodAndATornLastLineIsIgnored() throws Exception {
        Path file = folder.resolve("window.log");
        try (GateWindow window = GateWindow.open(file)) {
            window.accept(scan("s1", "P-1", AT));
            window.release("s1");
        }
        // a crash in the middle of the next append
        Files.writeString(file, "A\tP-2\tentry\t" + AT.toEpochMilli(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (GateWindow reopened = GateWindow.open(file)) {
            assertTrue(reopened.collidingWith(scan("s2", "P-1", AT)).isEmpty(), "released before the restart");
            assertTrue(reopened.collidingWith(scan("s3", "P-2", AT)).isEmpty(), "never completed, never answered");
            reopened.accept(scan("s4", "P-2", AT));
        }
        try (GateWindow again = GateWindow.open(file)) {
            assertTrue(again.holds("s4"), "an append after a torn line is read");
        }
    }
}
