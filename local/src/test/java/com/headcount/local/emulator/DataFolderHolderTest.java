package com.headcount.local.emulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a data folder is held by one emulator at a time, and one left by a dead JVM never blocks a start. */
class DataFolderHolderTest {

    @TempDir
    Path data;

    @Test
    void a_folder_in_use_by_a_running_emulator_is_refused_with_a_message_not_a_lock_error() {
        try (var first = Dynalite.builder().dataDirectory(data).start()) {
            var error = assertThrows(IllegalStateException.class, () -> Dynalite.builder().dataDirectory(data).start());
            assertTrue(error.getMessage().contains("is in use") && error.getMessage().contains(Long.toString(first.pid())),
                    error.getMessage());
            assertTrue(first.isAlive());
        }
        assertFalse(Files.exists(DataFolderHolder.fileFor(data)), "released at the stop");
    }

    @Test
    void an_emulator_left_by_a_dead_jvm_is_ended_before_the_next_start() throws Exception {
        // a stand-in for an orphan that does not watch its stdin: it would hold the folder for ever
        Process orphan = new ProcessBuilder("tail", "-f", "/dev/null").start();
        Process deadJvm = new ProcessBuilder("true").start();
        deadJvm.waitFor();
        long orphanStart = orphan.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
        Files.createDirectories(data);
        Files.writeString(DataFolderHolder.fileFor(data), orphan.pid() + " " + orphanStart + " " + deadJvm.pid() + " 1\n");
        try {
            try (var dynalite = Dynalite.builder().dataDirectory(data).start()) {
                assertTrue(dynalite.isAlive());
                assertFalse(orphan.isAlive(), "the orphan was ended first");
            }
        } finally {
            orphan.destroyForcibly();
            orphan.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
