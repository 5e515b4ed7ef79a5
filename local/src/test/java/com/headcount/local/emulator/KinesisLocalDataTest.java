package com.headcount.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kinesis-local's data file, when a kill cut its last write short. */
class KinesisLocalDataTest {

    @Test
    void aFileCutShortIsReplacedByTheLastCompleteCopy(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("kinesis-data.json");
        Files.writeString(data, "{\"streams\":{\"arn:aws:kinesis:us-east-1:0:stream/scans\":{\"sha");
        Files.writeString(dir.resolve("kinesis-data.json.saved"), "{\"streams\":{}}");

        KinesisLocal.restoreIfCutShort(data);

        assertEquals("{\"streams\":{}}", Files.readString(data));
    }

    @Test
    void aCompleteFileIsLeftAlone(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("kinesis-data.json");
        Files.writeString(data, "{\"streams\":{\"newer\":{}}}");
        Files.writeString(dir.resolve("kinesis-data.json.saved"), "{\"streams\":{}}");

        KinesisLocal.restoreIfCutShort(data);

        assertEquals("{\"streams\":{\"newer\":{}}}", Files.readString(data));
    }
}
