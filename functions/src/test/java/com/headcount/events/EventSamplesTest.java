package com.headcount.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.jr.ob.JSON;
import com.headcount.core.decision.OutcomeJson;
import com.headcount.core.scan.ParsedScan;
import com.headcount.core.scan.ScanParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The samples in events/ are the contract between gates and functions: they must read as the code reads them. */
class EventSamplesTest {

    static Path events() {
        return Path.of(System.getProperty("headcount.events.dir", "../events"));
    }

    static Stream<Path> samples(String glob) throws IOException {
        return Files.list(events().resolve("mqtt")).filter(p -> p.getFileName().toString().matches(glob)).sorted();
    }

    static Stream<Path> scans() throws IOException {
        return samples("scan.*\\.json");
    }

    static Stream<Path> decisions() throws IOException {
        return Stream.concat(samples("decision-.*\\.json"), Stream.of(events().resolve("streams/attendance-recorded.json")));
    }

    @ParameterizedTest
    @MethodSource("scans")
    void everySampleScanIsAValidScan(Path sample) throws IOException {
        assertInstanceOf(ParsedScan.Valid.class, new ScanParser().parse(Files.readAllBytes(sample)));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void everySampleDecisionIsExactlyWhatTheCodeWrites(Path sample) throws IOException {
        var json = JSON.std.mapFrom(Files.readAllBytes(sample));
        assertEquals(json, OutcomeJson.toMap(OutcomeJson.fromMap(json)));
    }
}
