package com.headcount.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import's report is stored as one status item: whatever the file, it must fit DynamoDB's 400 KB. */
class ParticipantImportReportTest {

    @Test
    void aHeaderOfThousandsOfColumnsIsCountedButOnlyTheFirstFiftyAreNamed() throws Exception {
        StringBuilder header = new StringBuilder("participantId,status");
        for (int i = 0; i < 20_000; i++) header.append(",column-with-a-long-enough-name-").append(i);
        var report = new ParticipantImport("e1", chunk -> { }).fromCsv(header + "\np1,active\n");

        assertEquals(1, report.imported());
        assertEquals(20_000, report.ignoredColumnCount());
        assertEquals(ParticipantImport.MAX_LISTED_IGNORED_COLUMNS, report.ignoredColumns().size());
        assertEquals("column-with-a-long-enough-name-0", report.ignoredColumns().get(0));
        int bytes = JSON.std.asBytes(report.toMap()).length;
        assertTrue(bytes < 10_000, "the report stays small: " + bytes + " bytes");
    }

    @Test
    void theWorstReportStillFitsOneItem() throws Exception {
        // the most a report can list: 1 000 rejected rows with the longest ids, and 50 long column names
        StringBuilder csv = new StringBuilder("participantId");
        for (int i = 0; i < 200; i++) csv.append(",").append("x".repeat(250)).append(i);
        csv.append('\n');
        for (int i = 0; i < 5_000; i++) csv.append("bad id ").append("y".repeat(240)).append(i).append('\n');
        var report = new ParticipantImport("e1", chunk -> { }).fromCsv(csv.toString());

        assertEquals(5_000, report.rejectedCount());
        assertEquals(List.of(), report.rejected().stream().filter(r -> r.participantId().length() > 65).toList());
        int bytes = JSON.std.asBytes(report.toMap()).length;
        assertTrue(bytes < 300_000, "under DynamoDB's 400 KB item with room for the status item's own fields: " + bytes);
    }
}
